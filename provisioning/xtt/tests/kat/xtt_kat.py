#!/usr/bin/env python3
"""Independent model of the XTT v1 key schedule and transcript hashes (Python hashlib/hmac,
RFC 7748 X25519 written out below, AEADs from the `cryptography` package).  It prints the
known-answer vectors that tests/test_schedule.c embeds as tests/kat/vectors.h; run it again
to check or regenerate them:  python3 xtt_kat.py > vectors.h
"""
import hashlib, hmac, struct

P = 2**255 - 19
A24 = 121665

def x25519(k: bytes, u: bytes) -> bytes:
    k = bytearray(k); k[0] &= 248; k[31] &= 127; k[31] |= 64
    k = int.from_bytes(k, 'little')
    u = int.from_bytes(u, 'little') & ((1 << 255) - 1)
    x1, x2, z2, x3, z3, swap = u, 1, 0, u, 1, 0
    for t in reversed(range(255)):
        kt = (k >> t) & 1
        swap ^= kt
        if swap: x2, x3, z2, z3 = x3, x2, z3, z2
        swap = kt
        a = (x2 + z2) % P; aa = a * a % P; b = (x2 - z2) % P; bb = b * b % P
        e = (aa - bb) % P; c = (x3 + z3) % P; d = (x3 - z3) % P
        da = d * a % P; cb = c * b % P
        x3 = (da + cb) ** 2 % P; z3 = x1 * (da - cb) ** 2 % P
        x2 = aa * bb % P; z2 = e * (aa + A24 * e) % P
    if swap: x2, x3, z2, z3 = x3, x2, z3, z2
    return (x2 * pow(z2, P - 2, P) % P).to_bytes(32, 'little')

BASE = (9).to_bytes(32, 'little')
# RFC 7748 section 5.2, first vector: the model's X25519 is right before anything uses it.
assert x25519(bytes.fromhex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
              bytes.fromhex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c')).hex() == \
    'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'

class Rng:
    """SHA-256 in counter mode over a label: block i = SHA-256(label || BE32(i))."""
    def __init__(self, label: bytes):
        self.label, self.i, self.buf = label, 0, b''
    def take(self, n):
        while len(self.buf) < n:
            self.buf += hashlib.sha256(self.label + struct.pack('>I', self.i)).digest(); self.i += 1
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

def pattern(seed, n):
    return bytes((seed + 7 * i) & 0xff for i in range(n))

def blake(suite): return suite in (2, 4)

def H(suite, data):
    return hashlib.blake2b(data, digest_size=64).digest() if blake(suite) else hashlib.sha512(data).digest()

def H_ext(suite, data):
    return H(suite, struct.pack('>H', len(data)) + data)

def prf(suite, key, data, n):
    if blake(suite):
        return hashlib.blake2b(data, digest_size=n, key=key).digest()
    return hmac.new(key, data, hashlib.sha512).digest()[:n]

def aead(suite, key, nonce, pt, ad):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
    c = AESGCM(key) if suite in (3, 4) else ChaCha20Poly1305(key)
    return c.encrypt(nonce, pt, ad)

def nonce(iv, seq):
    return iv[:8] + bytes(a ^ b for a, b in zip(iv[8:], struct.pack('>I', seq)))

def hdr(t, n): return bytes([t]) + struct.pack('>H', n) + b'\x01'

def vectors(suite):
    v = {}
    crng, srng = Rng(b'xtt kat client'), Rng(b'xtt kat server')
    c_sk = crng.take(32); c_nonce = crng.take(32)
    s_sk = srng.take(32); cookie = srng.take(130)
    c_pub, s_pub = x25519(c_sk, BASE), x25519(s_sk, BASE)
    ci = hdr(0x01, 70) + struct.pack('>H', suite) + c_nonce + c_pub
    siaa_ad = hdr(0x02, 417) + struct.pack('>H', suite) + s_pub + cookie
    shared = x25519(c_sk, s_pub)
    assert shared == x25519(s_sk, c_pub)
    inner = H_ext(suite, ci + siaa_ad[:38])
    hkh = H_ext(suite, inner + cookie)
    hs = prf(suite, bytes(64), shared, 64)
    ck = prf(suite, hs, hkh + b'XTT handshake client key', 32)
    civ = prf(suite, hs, hkh + b'XTT handshake client iv', 12)
    sk = prf(suite, hs, hkh + b'XTT handshake server key', 32)
    siv = prf(suite, hs, hkh + b'XTT handshake server iv', 12)
    cert = pattern(0x31, 169); sig_s = pattern(0x52, 64)
    server_sig_hash = H_ext(suite, ci + siaa_ad + cert)
    siaa = siaa_ad + aead(suite, sk, nonce(siv, 0), cert + sig_s, siaa_ad)
    lt_pub = b'\x04' + pattern(0x63, 64); gid = pattern(0x74, 32); cid = pattern(0x85, 16)
    lt_sig = pattern(0x96, 64); daa_sig = pattern(0xa7, 421)
    ca_ad = hdr(0x11, 750) + struct.pack('>H', suite) + cookie
    ca_signed = ca_ad + lt_pub + gid + cid
    full_lt = H_ext(suite, inner + cookie + cert + sig_s + ca_signed)
    full_daa = H_ext(suite, inner + cookie + cert + sig_s + ca_signed + lt_sig)
    compat_lt = H(suite, struct.pack('>H', 314) + inner + cookie[:1] + cert + sig_s + ca_signed[:16])
    compat_daa = H(suite, struct.pack('>H', 378) + inner + cookie[:1] + cert + sig_s + ca_signed[:80])
    ca = ca_ad + aead(suite, ck, nonce(civ, 0), lt_pub + gid + cid + lt_sig + daa_sig, ca_ad)
    sf_ad = hdr(0x13, 103) + struct.pack('>H', suite)
    sf = sf_ad + aead(suite, sk, nonce(siv, 1), cid + lt_pub, sf_ad)
    for name, val in [('client_init', ci), ('siaa_ad', siaa_ad), ('shared', shared),
                      ('inner', inner), ('hkh', hkh), ('hs_secret', hs), ('client_key', ck),
                      ('client_iv', civ), ('server_key', sk), ('server_iv', siv),
                      ('server_sig_hash', server_sig_hash), ('siaa', siaa),
                      ('full_longterm', full_lt), ('full_group', full_daa),
                      ('compat_longterm', compat_lt), ('compat_group', compat_daa),
                      ('client_attest', ca), ('server_finished', sf)]:
        v[name] = val
    return v

def c_array(b):
    return ', '.join('0x%02x' % x for x in b)

if __name__ == '__main__':
    print('/* Generated by xtt_kat.py (independent Python model); do not edit. */')
    names = None
    for suite in (1, 2, 3, 4):
        v = vectors(suite)
        names = list(v)
        for name, val in v.items():
            print('static const unsigned char kat%d_%s[%d] = { %s };' % (suite, name, len(val), c_array(val)))
    print('struct kat_vector { const unsigned char *%s; };' % ', *'.join(names))
    print('static const struct kat_vector kat_vectors[5] = { { 0 },')
    for suite in (1, 2, 3, 4):
        print('\t{ %s },' % ', '.join('kat%d_%s' % (suite, n) for n in names))
    print('};')
