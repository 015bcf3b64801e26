package dedup

import "hash/fnv"

// MinHash LSH parameters. With 8 bands of 4 rows, two texts whose shingle
// sets have Jaccard similarity J share at least one band with probability
// 1-(1-J⁴)⁸: 0.40 at J=0.5, 0.89 at J=0.7, 0.99 at J=0.8, and 0.0008 at
// J=0.1, the similarity of unrelated reports. The test on the labelled set
// measures how often unrelated texts collide. These are constants, not
// settings: changing them changes every indexed key, and the keys already
// indexed no longer match (see the package comment).
const (
	numBands    = 8
	bandRows    = 4
	numHashes   = numBands * bandRows
	minShingles = 8 // fewer and a text is too short for its bands to be selective
)

// hashMul and hashAdd define numHashes multiply-shift hash functions of one
// 64-bit mix of the shingle: a multiply and an add per function.
var hashMul, hashAdd = func() (m, a [numHashes]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range numHashes {
		m[i] = splitmix(&x) | 1
		a[i] = splitmix(&x)
	}
	return m, a
}()

func splitmix(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func mix(v uint64) uint64 { return splitmix(&v) }

// minhash answers the signature of a set of shingles.
func minhash(set []uint64) [numHashes]uint32 {
	var sig [numHashes]uint32
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for _, s := range set {
		h := mix(s)
		for i := range numHashes {
			if v := uint32((h*hashMul[i] + hashAdd[i]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// bandValues answers the index values of a signature's bands: the band
// number and a 64-bit hash of its rows, so that a chance collision of two
// band values is about 1 in 10^19.
func bandValues(sig [numHashes]uint32) []string {
	const hexDigits = "0123456789abcdef"
	out := make([]string, numBands)
	for b := range numBands {
		h := uint64(14695981039346656037) // FNV-1a over the band's rows
		for r := range bandRows {
			v := sig[b*bandRows+r]
			for k := 0; k < 4; k++ {
				h ^= uint64(byte(v >> (8 * k)))
				h *= 1099511628211
			}
		}
		var buf [18]byte
		buf[0], buf[1] = byte('0'+b), ':'
		for k := 0; k < 16; k++ {
			buf[2+k] = hexDigits[h>>(60-4*k)&0xf]
		}
		out[b] = string(buf[:])
	}
	return out
}

// nameShingle turns a name into a shingle, so that the bands of two
// records naming the same firm and road agree more often than their words
// alone would.
func nameShingle(n name) uint64 {
	h := fnv.New64a()
	h.Write([]byte{byte(n.kind)})
	h.Write([]byte(n.key()))
	return h.Sum64()
}
