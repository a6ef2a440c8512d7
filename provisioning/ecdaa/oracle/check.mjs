// Command-line face of fp256bn.mjs for tests/oracle.sh.  Exit 0 on success, 1 on a failed
// check (with the reason on stderr), 2 on bad usage.
//   pairing FILE                       lines "P Q e" from ecdaa-testvec: recompute e
//   hash FILE                          lines "basename B counter": recompute B and counter
//   verify GPK SIG MSG [BSN]           verify a signature of the C library
//   sign SK CRED MSG OUT [BSN]         sign with a member key and credential of the C library
//   issuer-proof IPK                   check the proof in a C issuer public key
//   issuer-keys IPK_OUT ISK_OUT        an issuer key pair made here (xaptum formats)
//   issue ISK IPK PK NONCE CRED_OUT SIG_OUT   check a C member key, issue a credential
import { readFileSync, writeFileSync } from 'node:fs';
import * as o from './fp256bn.mjs';

const [cmd, ...args] = process.argv.slice(2);
const read = (f) => readFileSync(f);
const fail = (why) => { console.error(`oracle: ${why}`); process.exit(1); };
const lines = (f) => read(f).toString().split('\n').filter((l) => l.trim());

function gpkFrom(buf) {
	return { X: o.decG2(buf.subarray(0, 129)), Y: o.decG2(buf.subarray(129, 258)) };
}

switch (cmd) {
case 'pairing': {
	const ls = lines(args[0]);
	if (!ls.length) fail('no vectors');
	for (const [i, l] of ls.entries()) {
		const [P, Q, e] = l.split(' ');
		const got = o.gtHex(o.optimalAte(o.decG1(Buffer.from(P, 'hex')), o.decG2(Buffer.from(Q, 'hex'))));
		if (got !== e) fail(`pairing vector ${i}: C gives ${e.slice(0, 32)}..., oracle ${got.slice(0, 32)}...`);
	}
	console.log(`${ls.length} pairings agree`);
	break;
}
case 'hash': {
	const ls = lines(args[0]);
	if (!ls.length) fail('no vectors');
	for (const l of ls) {
		const [bsn, B, i] = l.split(' ');
		const r = o.hashToG1(Buffer.from(bsn, 'hex'));
		if (o.encG1(r.B).toString('hex') !== B || String(r.i) !== i)
			fail(`hash of ${bsn}: C gives ${B} (${i}), oracle ${o.encG1(r.B).toString('hex')} (${r.i})`);
	}
	console.log(`${ls.length} hashes agree`);
	break;
}
case 'verify': {
	const [gpk, sig, msg, bsn] = args;
	if (!o.verify(read(sig), gpkFrom(read(gpk)), read(msg), bsn ? read(bsn) : undefined))
		fail(`${sig} does not verify`);
	break;
}
case 'sign': {
	const [sk, cred, msg, out, bsn] = args;
	const key = o.bytesToBig(read(sk));
	writeFileSync(out, o.sign(key, o.decodeCredential(read(cred)), read(msg), bsn ? read(bsn) : undefined));
	break;
}
case 'issuer-proof':
	if (!o.issuerProofHolds(read(args[0]))) fail(`${args[0]}: issuer proof does not verify`);
	break;
case 'issuer-keys': {
	const k = o.issuerKeys();
	writeFileSync(args[0], k.ipk);
	writeFileSync(args[1], Buffer.concat([o.big32(k.x), o.big32(k.y)]));
	break;
}
case 'issue': {
	const [isk, ipk, pk, nonce, credOut, sigOut] = args;
	const iskBuf = read(isk), ipkBuf = read(ipk);
	const issuer = { x: o.bytesToBig(iskBuf.subarray(0, 32)), y: o.bytesToBig(iskBuf.subarray(32, 64)) };
	if (!o.issuerProofHolds(ipkBuf)) fail(`${ipk}: issuer proof does not verify`);
	if (!o.memberProofHolds(read(pk), Buffer.from(nonce))) fail(`${pk}: member proof does not verify`);
	const r = o.issueCredential(issuer, read(pk));
	writeFileSync(credOut, r.cred);
	writeFileSync(sigOut, r.credSig);
	break;
}
default:
	console.error('usage: check.mjs pairing|hash|verify|sign|issuer-proof|issuer-keys|issue ...');
	process.exit(2);
}
