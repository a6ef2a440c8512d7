// FP256BN and ECDAA written independently of the C library, on the generic building blocks
// of @noble/curves: tower12 for Fp2/Fp6/Fp12, weierstrass for G1 and G2, blsBasic for a
// plain ate pairing (loop 6u^2).  Nothing here shares code or constants with the C side
// except the published curve parameters.
import { createHash, randomBytes } from 'node:crypto';
import { blsBasic } from '@noble/curves/abstract/bls.js';
import { Field } from '@noble/curves/abstract/modular.js';
import { tower12 } from '@noble/curves/abstract/tower.js';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';

export const u = -0x6882F5C030B0A801n;
export const p = 36n * u ** 4n + 36n * u ** 3n + 24n * u ** 2n + 6n * u + 1n;
export const n = 36n * u ** 4n + 36n * u ** 3n + 18n * u ** 2n + 6n * u + 1n;

let Fp12;
const tower = tower12({
	ORDER: p,
	X_LEN: 64,
	FP2_NONRESIDUE: [1n, 1n],                      // xi = 1 + i
	Fp2mulByB: (a) => tower.Fp2.mul(a, { c0: 3n, c1: 3n }),
	// generic power: the exact exponent (p^12 - 1) / n, no addition chain
	Fp12finalExponentiate: (f) => Fp12.pow(f, (p ** 12n - 1n) / n),
});
Fp12 = tower.Fp12;
export const { Fp, Fp2, Fp6 } = tower;
export { Fp12 };
export const Fr = Field(n);

export const G1 = weierstrass({ p, n, h: 1n, a: 0n, b: 3n, Gx: 1n, Gy: 2n }, { Fp, Fn: Fr });
export const G2 = weierstrass({
	p: Fp2.ORDER, n, h: 2n * p - n, a: Fp2.ZERO, b: { c0: 3n, c1: 3n },
	Gx: { c0: 0xFE0C3350B4C96C2028560F577C28913ACE1C539A12BF843CD22616B689C09EFBn,
	      c1: 0x4EA66057738AC054DB5AE1C637D813B924DD78E287D03589D269ED34A37E6A2Bn },
	Gy: { c0: 0x702046E7C542A3B376770D75124E3E51EFCB24758D615848E909B481BEDC27FFn,
	      c1: 0x0554E3BCD388C29042EEA649297EB29F8B4CBE80821A98B3E01281114AAD049Bn },
}, { Fp: Fp2, Fn: Fr });

const bls = blsBasic({ Fp, Fr, Fp2, Fp6, Fp12 }, G1, G2, {
	ateLoopSize: 6n * u * u, xNegative: false, twistType: 'multiplicative', r: n,
});
// The plain ate pairing of noble: a different (but bilinear, non-degenerate) pairing than
// the C library's optimal ate, so only equations between pairings are compared with it.
export const atePairing = (P, Q) => bls.pairing(P, Q);

// ---- the optimal ate pairing, defined exactly as the C library claims to compute it ----
// e(P, Q) = (f_{6u+2,Q}(P) l_{T,pi(Q)}(P) l_{T+pi(Q),-pi^2(Q)}(P))^((p^12 - 1) / n), with Q
// untwisted into E(Fp12) and every line evaluated in affine coordinates there; the value
// must then equal the C one byte for byte.
const fp12 = (c0, c1 = 0n) => Fp12.fromBigTwelve([c0, c1, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
const fp12FromFp2 = (a) => ({ c0: { c0: a, c1: Fp2.ZERO, c2: Fp2.ZERO }, c1: Fp6.ZERO });
const W = { c0: Fp6.ZERO, c1: Fp6.ONE };        // w, with w^2 = v and w^6 = xi
const W2inv = Fp12.inv(Fp12.mul(W, W));
const W3inv = Fp12.inv(Fp12.mul(Fp12.mul(W, W), W));

function untwist(Q) {
	const { x, y } = Q.toAffine();
	return { x: Fp12.mul(fp12FromFp2(x), W2inv), y: Fp12.mul(fp12FromFp2(y), W3inv) };
}

// line through T and R (tangent when R is undefined) evaluated at P = (xp, yp)
function line(T, R, xp, yp) {
	const lambda = R === undefined
		? Fp12.div(Fp12.mul(fp12(3n), Fp12.sqr(T.x)), Fp12.mul(fp12(2n), T.y))
		: Fp12.div(Fp12.sub(R.y, T.y), Fp12.sub(R.x, T.x));
	const l = Fp12.sub(Fp12.sub(fp12(yp), T.y), Fp12.mul(lambda, Fp12.sub(fp12(xp), T.x)));
	const x3 = Fp12.sub(Fp12.sub(Fp12.sqr(lambda), T.x), R === undefined ? T.x : R.x);
	const y3 = Fp12.sub(Fp12.mul(lambda, Fp12.sub(T.x, x3)), T.y);
	return { l, T: { x: x3, y: y3 } };
}

export function optimalAte(P, Q) {
	const { x: xp, y: yp } = P.toAffine();
	const q = untwist(Q);
	const loop = -(6n * u + 2n);                   // 6u + 2 < 0
	let f = Fp12.ONE, T = q;
	for (let i = loop.toString(2).length - 2; i >= 0; i--) {
		let r = line(T, undefined, xp, yp);
		f = Fp12.mul(Fp12.sqr(f), r.l);
		T = r.T;
		if ((loop >> BigInt(i)) & 1n) {
			r = line(T, q, xp, yp);
			f = Fp12.mul(f, r.l);
			T = r.T;
		}
	}
	f = Fp12.inv(f);                               // f_{-m} = 1 / f_m up to verticals
	T = { x: T.x, y: Fp12.neg(T.y) };
	const q1 = { x: Fp12.frobeniusMap(q.x, 1), y: Fp12.frobeniusMap(q.y, 1) };
	const q2 = { x: Fp12.frobeniusMap(q.x, 2), y: Fp12.neg(Fp12.frobeniusMap(q.y, 2)) };
	let r = line(T, q1, xp, yp);
	f = Fp12.mul(f, r.l);
	r = line(r.T, q2, xp, yp);
	f = Fp12.mul(f, r.l);
	return Fp12.pow(f, (p ** 12n - 1n) / n);
}

// 12 x 32 bytes in the C library's order: c0.c0, c0.c1, c0.c2, c1.c0, c1.c1, c1.c2
export function gtHex(e) {
	const out = [];
	for (const c6 of [e.c0, e.c1])
		for (const c2 of [c6.c0, c6.c1, c6.c2])
			out.push(hex32(c2.c0), hex32(c2.c1));
	return out.join('');
}

// ---- encodings (xaptum/ecdaa) ----
export const hex32 = (x) => x.toString(16).padStart(64, '0');
export const bytesToBig = (b) => BigInt('0x' + (Buffer.from(b).toString('hex') || '0'));
export const big32 = (x) => Buffer.from(hex32(x), 'hex');

export function encG1(P) {
	const { x, y } = P.toAffine();
	return Buffer.concat([Buffer.from([4]), big32(x), big32(y)]);
}
export function encG2(Q) {
	const { x, y } = Q.toAffine();
	return Buffer.concat([Buffer.from([4]), big32(x.c0), big32(x.c1), big32(y.c0), big32(y.c1)]);
}
function coord(buf, off) {
	const v = bytesToBig(buf.subarray(off, off + 32));
	if (v >= p) throw new Error('coordinate >= p');
	return v;
}
export function decG1(buf) {
	if (buf.length !== 65 || buf[0] !== 4) throw new Error('bad G1 encoding');
	const P = G1.fromAffine({ x: coord(buf, 1), y: coord(buf, 33) });
	P.assertValidity();
	return P;
}
export function decG2(buf) {
	if (buf.length !== 129 || buf[0] !== 4) throw new Error('bad G2 encoding');
	const Q = G2.fromAffine({ x: { c0: coord(buf, 1), c1: coord(buf, 33) },
				  y: { c0: coord(buf, 65), c1: coord(buf, 97) } });
	Q.assertValidity();
	if (!Q.multiplyUnsafe(n - 1n).add(Q).is0()) throw new Error('G2 point outside the subgroup');
	return Q;
}

// ---- hashes ----
export function H(...parts) {
	const h = createHash('sha256');
	for (const x of parts) h.update(x);
	return bytesToBig(h.digest()) % n;
}
export const Hnonce = (nonce, cPrime) => H(nonce, big32(cPrime));
export const randomScalar = () => (bytesToBig(randomBytes(64)) % (n - 1n)) + 1n;

// try-and-increment as the TPM does it: x = SHA-256(LE32(i) | bsn) mod p, even y
export function hashToG1(bsn) {
	for (let i = 0; i < 232; i++) {
		const le = Buffer.alloc(4);
		le.writeUInt32LE(i);
		const x = bytesToBig(createHash('sha256').update(le).update(bsn).digest()) % p;
		const rhs = (x * x * x + 3n) % p;
		if (Fp.pow(rhs, (p - 1n) / 2n) !== 1n) continue;
		let y = Fp.pow(rhs, (p + 1n) / 4n);
		if (y & 1n) y = p - y;
		return { B: G1.fromAffine({ x, y }), i };
	}
	throw new Error('basename does not hash to the curve');
}

const mul = (P, k) => (k % n === 0n ? P.subtract(P) : P.multiply(k % n));

// ---- ECDAA ----
export function signatureCPrime(E, S, W, nym, msg) {
	const head = [encG1(E), encG1(S), encG1(W)];
	if (nym) head.push(encG1(nym.L), encG1(nym.B), encG1(nym.K), nym.bsn);
	return H(...head, msg);
}

export function verify(sigBuf, gpk, msg, bsn) {
	if (sigBuf.length !== 356 && sigBuf.length !== 421) throw new Error('bad signature length');
	const c = bytesToBig(sigBuf.subarray(0, 32)), s = bytesToBig(sigBuf.subarray(32, 64));
	const [R, S, T, W] = [0, 1, 2, 3].map((i) => decG1(sigBuf.subarray(64 + 65 * i, 129 + 65 * i)));
	const nonce = sigBuf.subarray(324, 356);
	const E = mul(S, s).subtract(mul(W, c));
	let nym;
	if (bsn) {
		if (sigBuf.length !== 421) return false;
		const K = decG1(sigBuf.subarray(356, 421));
		const { B } = hashToG1(bsn);
		nym = { B, K, L: mul(B, s).subtract(mul(K, c)), bsn };
	} else if (sigBuf.length !== 356) {
		return false;
	}
	if (E.is0() || (nym && nym.L.is0())) return false;
	if (Hnonce(nonce, signatureCPrime(E, S, W, nym, msg)) !== c) return false;
	const P2 = G2.BASE;
	return Fp12.eql(atePairing(R, gpk.Y), atePairing(S, P2)) &&
	       Fp12.eql(atePairing(T, P2), atePairing(R.add(W), gpk.X));
}

export function sign(sk, cred, msg, bsn) {
	const l = randomScalar(), k = randomScalar();
	const [R, S, T, W] = [cred.A, cred.B, cred.C, cred.D].map((P) => P.multiply(l));
	const E = S.multiply(k);
	let nym;
	if (bsn) {
		const { B } = hashToG1(bsn);
		nym = { B, K: B.multiply(sk), L: B.multiply(k), bsn };
	}
	const nonce = big32(randomScalar());
	const c = Hnonce(nonce, signatureCPrime(E, S, W, nym, msg));
	const s = (k + c * sk) % n;
	const parts = [big32(c), big32(s), encG1(R), encG1(S), encG1(T), encG1(W), nonce];
	if (nym) parts.push(encG1(nym.K));
	return Buffer.concat(parts);
}

export function issuerKeys() {
	const x = randomScalar(), y = randomScalar(), rx = randomScalar(), ry = randomScalar();
	const P2 = G2.BASE, X = P2.multiply(x), Y = P2.multiply(y);
	const c = H(encG2(P2.multiply(rx)), encG2(P2.multiply(ry)), encG2(P2), encG2(X), encG2(Y));
	const ipk = Buffer.concat([encG2(X), encG2(Y), big32(c), big32((rx + c * x) % n),
				   big32((ry + c * y) % n)]);
	return { x, y, X, Y, ipk };
}

export function issuerProofHolds(ipk) {
	const X = decG2(ipk.subarray(0, 129)), Y = decG2(ipk.subarray(129, 258));
	const [c, sx, sy] = [258, 290, 322].map((o) => bytesToBig(ipk.subarray(o, o + 32)));
	const P2 = G2.BASE;
	const Ux = mul(P2, sx).subtract(mul(X, c)), Uy = mul(P2, sy).subtract(mul(Y, c));
	return H(encG2(Ux), encG2(Uy), encG2(P2), encG2(X), encG2(Y)) === c;
}

export function memberProofHolds(pkBuf, joinNonce) {
	const Q = decG1(pkBuf.subarray(0, 65));
	const c = bytesToBig(pkBuf.subarray(65, 97)), s = bytesToBig(pkBuf.subarray(97, 129));
	const U = mul(G1.BASE, s).subtract(mul(Q, c));
	const cPrime = H(encG1(U), encG1(G1.BASE), encG1(Q), joinNonce);
	return Hnonce(pkBuf.subarray(129, 161), cPrime) === c;
}

export function issueCredential(issuer, pkBuf) {
	const Q = decG1(pkBuf.subarray(0, 65));
	const l = randomScalar(), r = randomScalar(), ly = (l * issuer.y) % n;
	const A = G1.BASE.multiply(l), B = A.multiply(issuer.y), D = Q.multiply(ly);
	const C = A.add(D).multiply(issuer.x);
	const c = H(encG1(G1.BASE.multiply(r)), encG1(Q.multiply(r)), encG1(G1.BASE), encG1(B),
		    encG1(Q), encG1(D));
	return {
		cred: Buffer.concat([encG1(A), encG1(B), encG1(C), encG1(D)]),
		credSig: Buffer.concat([big32(c), big32((r + c * ly) % n)]),
	};
}

export function decodeCredential(buf) {
	const [A, B, C, D] = [0, 1, 2, 3].map((i) => decG1(buf.subarray(65 * i, 65 * i + 65)));
	return { A, B, C, D };
}
