/* Tokenizer: one line of the rule language into words, strings and punctuation, each
 * with its 1-based column so every error can point at what the user wrote. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/rule.h"

void nfts_error_set(struct nftsrv6_error *err, unsigned line, unsigned column, const char *token,
	       size_t token_len, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->line = line;
	err->column = column;
	if (token_len >= sizeof(err->token))
		token_len = sizeof(err->token) - 1;
	if (token)
		memcpy(err->token, token, token_len);
	else
		token_len = 0;
	err->token[token_len] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

static int push(struct tokens *out, enum tok_kind kind, const char *text, size_t len,
		unsigned column)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 32;
		struct token *t = realloc(out->t, cap * sizeof(*t));

		if (!t)
			return -1;
		out->t = t;
		out->cap = cap;
	}
	out->t[out->n++] = (struct token){ .kind = kind, .text = text, .len = len, .column = column };
	return 0;
}

static int is_delim(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '{' || c == '}' ||
	       c == ',' || c == '[' || c == ']' || c == '"' || c == '#' || c == '!' ||
	       c == '=' || c == ';' || c == '\0';
}

int nfts_lex_line(struct tokens *out, const char *line, size_t len, unsigned lineno,
	     struct nftsrv6_error *err)
{
	size_t i = 0;

	out->n = 0;
	while (i < len) {
		char c = line[i];
		unsigned col = (unsigned)i + 1;
		enum tok_kind single = TOK_END;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			i++;
			continue;
		}
		if (c == '#')
			break;
		switch (c) {
		case '{': single = TOK_LBRACE; break;
		case '}': single = TOK_RBRACE; break;
		case ',': single = TOK_COMMA; break;
		case '[': single = TOK_LBRACKET; break;
		case ']': single = TOK_RBRACKET; break;
		default: break;
		}
		if (single != TOK_END) {
			if (push(out, single, line + i, 1, col))
				goto nomem;
			i++;
			continue;
		}
		if (c == '!' || c == '=') {
			if (i + 1 < len && line[i + 1] == '=') {
				if (push(out, c == '!' ? TOK_NEQ : TOK_EQ, line + i, 2, col))
					goto nomem;
				i += 2;
				continue;
			}
			nfts_error_set(err, lineno, col, line + i, 1,
				  "unexpected '%c': expected '%c=' or a word", c, c);
			return -1;
		}
		if (c == ';') {
			nfts_error_set(err, lineno, col, line + i, 1,
				  "unexpected ';': write one command per line");
			return -1;
		}
		if (c == '"') {
			size_t j = i + 1;

			while (j < len && line[j] != '"') {
				if (line[j] == '\\' && j + 1 < len)
					j++;
				j++;
			}
			if (j >= len) {
				nfts_error_set(err, lineno, col, line + i, len - i,
					  "unterminated string: expected a closing '\"'");
				return -1;
			}
			if (push(out, TOK_STRING, line + i + 1, j - i - 1, col))
				goto nomem;
			i = j + 1;
			continue;
		}
		if ((unsigned char)c < 0x20 || (unsigned char)c == 0x7f) {
			nfts_error_set(err, lineno, col, NULL, 0,
				  "unexpected control character 0x%02x", (unsigned char)c);
			return -1;
		}
		if ((unsigned char)c > 0x7f) {
			/* name the whole UTF-8 sequence so the token stays valid text */
			size_t n = (unsigned char)c >= 0xf0 ? 4 : (unsigned char)c >= 0xe0 ? 3 :
				   (unsigned char)c >= 0xc0 ? 2 : 1;
			size_t k;

			if (n > len - i)
				n = len - i;
			for (k = 1; k < n; k++)
				if (((unsigned char)line[i + k] & 0xc0) != 0x80)
					break;
			if (k < n || n == 1) {
				nfts_error_set(err, lineno, col, NULL, 0,
					  "unexpected byte 0x%02x: the rule language is ASCII",
					  (unsigned char)c);
				return -1;
			}
			nfts_error_set(err, lineno, col, line + i, n,
				  "unexpected character '%.*s': the rule language is ASCII", (int)n,
				  line + i);
			return -1;
		}
		{
			size_t j = i;

			while (j < len && !is_delim(line[j]) && (unsigned char)line[j] >= 0x20 &&
			       (unsigned char)line[j] < 0x7f)
				j++;
			if (push(out, TOK_WORD, line + i, j - i, col))
				goto nomem;
			i = j;
		}
	}
	if (push(out, TOK_END, line + len, 0, (unsigned)len + 1))
		goto nomem;
	return 0;
nomem:
	nfts_error_set(err, lineno, 0, NULL, 0, "out of memory");
	return -1;
}

void nfts_tokens_free(struct tokens *t)
{
	free(t->t);
	t->t = NULL;
	t->n = t->cap = 0;
}
