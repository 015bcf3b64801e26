package triage

import (
	"math"
	"math/rand/v2"
)

// linear is one weight matrix shared by three heads that read the same
// features: a softmax over the types, a logistic police detector and a
// softmax over the risk levels. Weights of one bucket sit side by side, so
// scoring a text touches one or two cache lines per feature.
type linear struct {
	nTypes int
	nOut   int       // nTypes + 1 (police) + 3 (risk)
	w      []float32 // numBuckets × nOut
	b      []float32 // nOut
}

const numRisk = 3 // low, medium, high

func (l *linear) policeOut() int { return l.nTypes }

// trainItem is one example turned into features and target indices.
type trainItem struct {
	vec    featureVec
	typ    int
	police bool
	risk   int
	weight float32
}

// scores fills out (len nOut) with the raw scores of a vector.
func (l *linear) scores(v featureVec, out []float32) {
	copy(out, l.b)
	n := l.nOut
	for i, idx := range v.idx {
		x := v.val[i]
		row := l.w[int(idx)*n : int(idx)*n+n]
		for k, wk := range row {
			out[k] += wk * x
		}
	}
}

// softmaxInPlace turns scores into probabilities.
func softmaxInPlace(s []float32) {
	m := s[0]
	for _, v := range s[1:] {
		m = max(m, v)
	}
	var sum float64
	for i, v := range s {
		e := math.Exp(float64(v - m))
		s[i] = float32(e)
		sum += e
	}
	for i := range s {
		s[i] = float32(float64(s[i]) / sum)
	}
}

func sigmoid(x float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(x))))
}

// trainLinear fits the heads by stochastic gradient descent on the log loss, in a
// fixed order drawn from a fixed seed, so the same examples always give the
// same weights. An example's weight scales its gradient: a dispatcher's
// correction given weight 3 counts like three copies.
func trainLinear(items []trainItem, nTypes int, cfg trainConfig) *linear {
	l := &linear{nTypes: nTypes, nOut: nTypes + 1 + numRisk}
	l.w = make([]float32, numBuckets*l.nOut)
	l.b = make([]float32, l.nOut)
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	out := make([]float32, l.nOut)
	grad := make([]float32, l.nOut)
	step := 0
	total := cfg.epochs * len(items)
	for epoch := 0; epoch < cfg.epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, oi := range order {
			it := &items[oi]
			// Linear decay: big steps first, fine ones at the end.
			lr := float32(cfg.learningRate * (1 - 0.9*float64(step)/float64(total)))
			step++
			l.scores(it.vec, out)
			softmaxInPlace(out[:nTypes])
			for k := 0; k < nTypes; k++ {
				y := float32(0)
				if k == it.typ {
					y = 1
				}
				grad[k] = out[k] - y
			}
			p := sigmoid(out[nTypes])
			if it.police {
				grad[nTypes] = (p - 1) * float32(cfg.policeWeight)
			} else {
				grad[nTypes] = p
			}
			risk := out[nTypes+1 : nTypes+1+numRisk]
			softmaxInPlace(risk)
			for k := range numRisk {
				y := float32(0)
				if k == it.risk {
					y = 1
				}
				grad[nTypes+1+k] = risk[k] - y
				if it.risk < 0 {
					grad[nTypes+1+k] = 0 // a correction without a risk label
				}
			}

			scale := lr * it.weight
			for k := range grad {
				grad[k] *= scale
				l.b[k] -= grad[k] * 0.1 // a smaller step for the biases
			}
			n := l.nOut
			for i, idx := range it.vec.idx {
				x := it.vec.val[i]
				row := l.w[int(idx)*n : int(idx)*n+n]
				for k := range row {
					row[k] -= grad[k] * x
				}
			}
		}
	}
	return l
}
