/* libFuzzer target for the rule language: any input either fails with an error that
 * names a line and a message, or parses into rules whose canonical text parses back into
 * equal rules and that compile, and decode from the compiled expressions, unchanged. */
#include <linux/netfilter.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct aux_chain *find_aux(void *ctx, const char *name)
{
	const struct compiled *c = ctx;
	size_t i;

	for (i = 0; i < c->naux; i++)
		if (!strcmp(c->aux[i].name, name))
			return &c->aux[i];
	return NULL;
}

static void check_rule(const struct nftsrv6_rule *rule, uint32_t nfproto)
{
	struct compile_ctx cc = { .nfproto = nfproto, .table = "t", .chain = "c", .aux_id = 1 };
	struct nftsrv6_error err;
	struct nftsrv6_rule *again, back;
	struct compiled out;
	struct decode_env env = { .nfproto = nfproto, .chain_rules = find_aux, .ctx = &out };
	struct strbuf sb = { 0 };
	unsigned aux_id;

	nfts_rule_format_sb(&sb, rule);
	if (sb.failed || nftsrv6_rule_parse(&again, sb.p, &err))
		abort();                       /* canonical text must parse */
	if (!nftsrv6_rule_equal(rule, again))
		abort();
	nftsrv6_rule_free(again);
	free(sb.p);
	if (nfts_rule_compile(&out, &cc, rule, 1, &err))
		abort();
	env.sets = out.sets;
	env.nsets = out.nsets;
	if (nfts_rule_decode(&back, &aux_id, out.rule, &env))
		abort();                       /* the decoder reads all the compiler writes */
	if (!nftsrv6_rule_equal(rule, &back))
		abort();
	nfts_rule_release(&back);
	nfts_compiled_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nftsrv6_batch *batch;
	struct nftsrv6_error err;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (nftsrv6_batch_new(&batch)) {
		free(text);
		return 0;
	}
	if (nftsrv6_batch_parse(batch, text, 1, &err) == 0) {
		size_t i;

		for (i = 0; i < batch->n; i++) {
			if (!batch->cmd[i].rule)
				continue;
			check_rule(batch->cmd[i].rule, NFPROTO_INET);
			check_rule(batch->cmd[i].rule, NFPROTO_NETDEV);
		}
	} else if (!err.line || !err.message[0]) {
		abort();                           /* every error says where and what */
	}
	nftsrv6_batch_free(batch);
	free(text);
	return 0;
}
