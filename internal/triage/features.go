package triage

import (
	"math"
	"slices"
)

// Features are character n-grams (1 to maxGram characters) of the
// normalised text, hashed into a fixed number of buckets (the hashing
// trick): no vocabulary to build or store, and a model's size does not grow
// with the corpus. Chinese has no spaces, so character n-grams stand in for
// words without a segmenter (and without cgo).
const (
	hashBits   = 18
	numBuckets = 1 << hashBits
	maxGram    = 3
	// maxRunes bounds the work on very long input; the contract allows 4000
	// characters and the first part of a report carries its gist.
	maxRunes = 8000
	// tagRepeat counts a side feature (a cue kind, a type hint) as if it
	// had been seen twice: one rule finding is worth more than one n-gram.
	// Two beat one, four and eight in cross-validation.
	tagRepeat = 2
)

// Clause boundary markers let an n-gram say "at the start of a clause".
const (
	bos = '\x02'
	eos = '\x03'
)

// featureVec is a sparse vector: bucket indices, sorted and unique, with
// their values, scaled to unit length.
type featureVec struct {
	idx []uint32
	val []float32
}

// Hash constants of 64-bit FNV-1a; n-grams of different lengths and the
// side features get different seeds so they do not share buckets by design.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	// negSalt moves the n-grams of a negated cue to other buckets.
	negSalt = 0x6e65676174656421
)

func mix(h uint64, r rune) uint64 {
	h ^= uint64(r)
	h *= fnvPrime
	return h
}

func bucket(h uint64) uint32 {
	// Fold the high bits in: FNV's low bits are weak for short inputs.
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return uint32(h & (numBuckets - 1))
}

// tagBucket places a named side feature (a cue kind, a size class).
func tagBucket(tag string) uint32 {
	h := uint64(fnvOffset) ^ 0x5bd1e995
	for _, r := range tag {
		h = mix(h, r)
	}
	return bucket(h)
}

// extractor holds the buffers of one feature extraction, so Classify does
// not allocate per n-gram; each goroutine uses its own.
type extractor struct {
	runes []rune
	neg   []bool // the rune stands inside a negated cue
	raw   []uint32
	vec   featureVec
}

// extract turns a normalised text, already cut to maxRunes by read, and its
// side features (bucket ids from tagBucket) into a vector.
func (x *extractor) extract(norm string, tags []uint32, negated []span) featureVec {
	x.runes, x.neg = x.runes[:0], x.neg[:0]
	x.runes, x.neg = append(x.runes, bos), append(x.neg, false)
	for off, r := range norm {
		if r == sep {
			x.runes, x.neg = append(x.runes, eos, bos), append(x.neg, false, false)
			continue
		}
		neg := false
		for _, sp := range negated {
			if sp.start <= off && off < sp.end {
				neg = true
				break
			}
		}
		x.runes, x.neg = append(x.runes, r), append(x.neg, neg)
	}
	x.runes, x.neg = append(x.runes, eos), append(x.neg, false)

	raw := x.raw[:0]
	rs := x.runes
	for i := range rs {
		h := uint64(fnvOffset)
		neg := false
		for k := 0; k < maxGram && i+k < len(rs); k++ {
			r := rs[i+k]
			if k > 0 && (rs[i+k-1] == eos) {
				break // an n-gram does not cross clauses
			}
			h = mix(h, r)
			neg = neg || x.neg[i+k]
			if k == 0 && (r == bos || r == eos) {
				continue // a marker alone says nothing
			}
			g := h ^ uint64(k+1)<<56
			if neg {
				g ^= negSalt
			}
			raw = append(raw, bucket(g))
		}
	}
	for _, b := range tags {
		for range tagRepeat {
			raw = append(raw, b)
		}
	}
	slices.Sort(raw)
	x.raw = raw

	idx, val := x.vec.idx[:0], x.vec.val[:0]
	var norm2 float64
	for i := 0; i < len(raw); {
		j := i + 1
		for j < len(raw) && raw[j] == raw[i] {
			j++
		}
		// Sublinear counts: a word said five times is not five times the
		// evidence.
		v := float32(1 + math.Log(float64(j-i)))
		idx = append(idx, raw[i])
		val = append(val, v)
		norm2 += float64(v) * float64(v)
		i = j
	}
	if norm2 > 0 {
		inv := float32(1 / math.Sqrt(norm2))
		for i := range val {
			val[i] *= inv
		}
	}
	x.vec = featureVec{idx: idx, val: val}
	return x.vec
}
