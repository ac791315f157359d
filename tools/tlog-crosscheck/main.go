// Command tlog-crosscheck answers questions about Merkle trees and signed notes with Go's
// golang.org/x/mod/sumdb/tlog and sumdb/note, so that the e2e specs can check
// @runtrail/merkle against an implementation we did not write (see README.md).
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on stdout, in
// order. Every request has "id" and "op"; the answer echoes "id" and either carries
// "error" (the request itself was unusable: unknown op, bad base64, sizes out of range)
// or the op's result. A proof or note that fails to verify is not an error: the answer
// says "valid": false with Go's "reason".
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type request struct {
	ID int64  `json:"id"`
	Op string `json:"op"`
	// Tree and proofs. Hashes are standard base64, decoded by tlog.Hash itself.
	Records  []string    `json:"records"`
	Leaves   []tlog.Hash `json:"leaves"`
	Size     *int64      `json:"size"`
	Index    int64       `json:"index"`
	From     int64       `json:"from"`
	To       int64       `json:"to"`
	Hashes   []tlog.Hash `json:"hashes"`
	Root     tlog.Hash   `json:"root"`
	LeafHash tlog.Hash   `json:"leafHash"`
	FromRoot tlog.Hash   `json:"fromRoot"`
	ToRoot   tlog.Hash   `json:"toRoot"`
	// Notes.
	VerifierKey  string   `json:"verifierKey"`
	VerifierKeys []string `json:"verifierKeys"`
	Note         string   `json:"note"`
	Name         string   `json:"name"`
	Text         string   `json:"text"`
}

type signature struct {
	Name  string `json:"name"`
	KeyID string `json:"keyId"`
}

type answer map[string]any

func main() {
	in := bufio.NewScanner(os.Stdin)
	// A request carries a few hundred leaves at most, but allow far more than that.
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		var res answer
		var err error
		if err = json.Unmarshal(in.Bytes(), &req); err == nil {
			res, err = handle(&req)
		}
		if err != nil {
			res = answer{"error": err.Error()}
		}
		res["id"] = req.ID
		if err := out.Encode(res); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func handle(req *request) (answer, error) {
	switch req.Op {
	case "recordHashes":
		hashes := make([]tlog.Hash, len(req.Records))
		for i, r := range req.Records {
			data, err := base64.StdEncoding.DecodeString(r)
			if err != nil {
				return nil, fmt.Errorf("record %d: %w", i, err)
			}
			hashes[i] = tlog.RecordHash(data)
		}
		return answer{"hashes": hashes}, nil

	case "roots":
		// The root at every size from 0 to len(leaves), in one request.
		r, err := store(req.Leaves)
		if err != nil {
			return nil, err
		}
		roots := make([]tlog.Hash, len(req.Leaves)+1)
		for n := range roots {
			if roots[n], err = tlog.TreeHash(int64(n), r); err != nil {
				return nil, err
			}
		}
		return answer{"roots": roots}, nil

	case "inclusion":
		if req.Size == nil {
			return nil, errors.New("inclusion needs size")
		}
		r, err := store(req.Leaves)
		if err != nil {
			return nil, err
		}
		proof, err := tlog.ProveRecord(*req.Size, req.Index, r)
		return answer{"hashes": nonNil(proof)}, err

	case "consistency":
		r, err := store(req.Leaves)
		if err != nil {
			return nil, err
		}
		proof, err := tlog.ProveTree(req.To, req.From, r)
		return answer{"hashes": nonNil(proof)}, err

	case "checkRecord":
		if req.Size == nil {
			return nil, errors.New("checkRecord needs size")
		}
		return verdict(tlog.CheckRecord(req.Hashes, *req.Size, req.Root, req.Index, req.LeafHash)), nil

	case "checkTree":
		return verdict(tlog.CheckTree(req.Hashes, req.To, req.ToRoot, req.From, req.FromRoot)), nil

	case "verifier":
		v, err := note.NewVerifier(req.VerifierKey)
		if err != nil {
			return verdict(err), nil
		}
		return answer{"valid": true, "name": v.Name(), "keyId": keyID(v.KeyHash())}, nil

	case "openNote":
		n, err := open(req)
		if err != nil {
			return verdict(err), nil
		}
		return answer{"valid": true, "text": n.Text, "signatures": signatures(n.Sigs), "unverified": signatures(n.UnverifiedSigs)}, nil

	case "checkpoint":
		n, err := open(req)
		if err != nil {
			return verdict(err), nil
		}
		origin, size, root, err := parseCheckpoint(n.Text)
		if err != nil {
			return verdict(err), nil
		}
		return answer{"valid": true, "origin": origin, "size": size, "root": root, "signatures": signatures(n.Sigs)}, nil

	case "signNote":
		skey, vkey, err := note.GenerateKey(rand.Reader, req.Name)
		if err != nil {
			return nil, err
		}
		signer, err := note.NewSigner(skey)
		if err != nil {
			return nil, err
		}
		msg, err := note.Sign(&note.Note{Text: req.Text}, signer)
		if err != nil {
			return nil, err
		}
		return answer{"note": string(msg), "verifierKey": vkey}, nil
	}
	return nil, fmt.Errorf("unknown op %q", req.Op)
}

// store writes the leaves as a log would, one record at a time, keeping every hash
// tlog.StoredHashesForRecordHash returns, and gives a reader over them. The proofs and roots
// are then computed by tlog from its own stored hashes, not from anything we computed.
func store(leaves []tlog.Hash) (tlog.HashReader, error) {
	var stored []tlog.Hash
	r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= int64(len(stored)) {
				return nil, fmt.Errorf("stored hash %d was never written", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})
	for n, leaf := range leaves {
		hashes, err := tlog.StoredHashesForRecordHash(int64(n), leaf, r)
		if err != nil {
			return nil, err
		}
		if int64(len(stored)) != tlog.StoredHashIndex(0, int64(n)) {
			return nil, fmt.Errorf("stored hashes out of step at record %d", n)
		}
		stored = append(stored, hashes...)
	}
	return r, nil
}

func open(req *request) (*note.Note, error) {
	keys := req.VerifierKeys
	if req.VerifierKey != "" {
		keys = append(keys, req.VerifierKey)
	}
	verifiers := make([]note.Verifier, len(keys))
	for i, k := range keys {
		v, err := note.NewVerifier(k)
		if err != nil {
			return nil, fmt.Errorf("verifier key %q: %w", k, err)
		}
		verifiers[i] = v
	}
	return note.Open([]byte(req.Note), note.VerifierList(verifiers...))
}

// parseCheckpoint reads a C2SP tlog-checkpoint body: origin, size, root hash, then optional
// extension lines. x/mod's tlog.ParseTree reads the same three lines but with the go.sum
// database's fixed first line in place of the origin, so the origin is swapped for that
// line and tlog parses (and strictly checks) the size and the hash.
func parseCheckpoint(text string) (origin string, size int64, root tlog.Hash, err error) {
	origin, rest, ok := strings.Cut(text, "\n")
	if !ok || origin == "" {
		return "", 0, tlog.Hash{}, errors.New("malformed checkpoint: no origin line")
	}
	goSum := string(tlog.FormatTree(tlog.Tree{}))
	tree, err := tlog.ParseTree([]byte(goSum[:strings.IndexByte(goSum, '\n')+1] + rest))
	if err != nil {
		return "", 0, tlog.Hash{}, err
	}
	return origin, tree.N, tree.Hash, nil
}

func verdict(err error) answer {
	if err != nil {
		return answer{"valid": false, "reason": err.Error()}
	}
	return answer{"valid": true}
}

func signatures(sigs []note.Signature) []signature {
	out := make([]signature, len(sigs))
	for i, s := range sigs {
		out[i] = signature{s.Name, keyID(s.Hash)}
	}
	return out
}

func keyID(hash uint32) string {
	return fmt.Sprintf("%08x", hash)
}

// nonNil makes an empty proof encode as [] rather than null.
func nonNil(hashes []tlog.Hash) []tlog.Hash {
	if hashes == nil {
		return []tlog.Hash{}
	}
	return hashes
}
