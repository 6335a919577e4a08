// Checks an inclusion proof in the browser (RFC 9162 §2.1.3.2, with WebCrypto SHA-256) against
// the root of the signed checkpoint, and the checkpoint's Ed25519 signature when the browser can.

const enc = new TextEncoder();

async function sha256(...parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

export const leafHash = (entryBytes) => sha256(Uint8Array.of(0), entryBytes);
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);

function fromBase64(text, what) {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new Error(`${what} is not valid base64`);
  }
}

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Splits a signed note into its text (ending in a newline) and signature lines. */
export function parseNote(note) {
  const cut = note.indexOf('\n\n');
  if (cut < 0) throw new Error('the checkpoint has no blank line before its signatures');
  const text = note.slice(0, cut + 1);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new Error(`the checkpoint has ${lines.length} lines, at least 3 are needed`);
  if (!/^(0|[1-9][0-9]*)$/.test(lines[1])) throw new Error(`the checkpoint tree size "${lines[1]}" is not a number`);
  const signatures = note.slice(cut + 2).split('\n').filter(Boolean).map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) throw new Error('a checkpoint signature line is malformed');
    return { name: m[1], bytes: fromBase64(m[2], 'a checkpoint signature') };
  });
  return { text, origin: lines[0], size: BigInt(lines[1]), root: fromBase64(lines[2], 'the checkpoint root hash'), signatures };
}

/** The root an inclusion proof leads to, or an Error saying why it cannot (RFC 9162 §2.1.3.2). */
export async function rootFromInclusionProof(index, size, leaf, path) {
  if (index >= size) throw new Error(`leaf index ${index} is not below tree size ${size}`);
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) throw new Error('the proof has more hashes than the tree needs');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Error('the proof has fewer hashes than the tree needs');
  return r;
}

/** Checks an Ed25519 signature of the note text with a verifier key "<name>+<hex id>+<base64(0x01 || key)>". */
async function checkSignature(note, verifierKey) {
  // <name>+<hex id>+<base64>: the name has no '+', the base64 may
  const m = /^([^+\s]+)\+([0-9a-fA-F]{8})\+(\S+)$/.exec(verifierKey.trim());
  if (!m) return { ok: false, text: 'the log key is not a verifier key' };
  const [, name, idHex, keyB64] = m;
  const keyBytes = fromBase64(keyB64, 'the log key');
  if (keyBytes[0] !== 1 || keyBytes.length !== 33) return { ok: false, text: 'the log key is not an Ed25519 key' };
  const sig = note.signatures.find((s) => s.name === name && hex(s.bytes.slice(0, 4)) === idHex.toLowerCase());
  if (!sig) return { ok: false, text: `the checkpoint carries no signature by the log key ${name}` };
  let key;
  try {
    key = await crypto.subtle.importKey('raw', keyBytes.slice(1), { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return { ok: null, text: 'signature not checked: this browser has no Ed25519' };
  }
  const good = await crypto.subtle.verify({ name: 'Ed25519' }, key, sig.bytes.slice(4), enc.encode(note.text));
  return good ? { ok: true, text: `checkpoint signature by ${name} is valid` } : { ok: false, text: `the checkpoint signature by ${name} does not verify` };
}

/**
 * Verifies a proof response {entry, leaf_index, checkpoint, inclusion_proof{index,size,hashes}}
 * for the event shown. Returns {ok, steps: [{ok, text}]}; ok is false at the first failed step.
 */
export async function verifyProof(proof, shown, verifierKey) {
  const steps = [];
  const fail = (text) => {
    steps.push({ ok: false, text });
    return { ok: false, steps };
  };
  try {
    const entry = JSON.parse(proof.entry);
    if (shown && (entry.id !== shown.id || entry.seq !== shown.seq || JSON.stringify(entry) !== JSON.stringify(shown))) {
      return fail(`the proven entry is not the one shown (entry #${entry.seq} ${entry.id})`);
    }
    steps.push({ ok: true, text: `entry #${entry.seq} is the one shown` });
    const leaf = await leafHash(enc.encode(proof.entry));
    steps.push({ ok: true, text: `leaf hash ${hex(leaf).slice(0, 16)}… computed` });
    const note = parseNote(proof.checkpoint);
    const ip = proof.inclusion_proof;
    const index = BigInt(ip.index);
    const size = BigInt(ip.size);
    if (index !== BigInt(proof.leaf_index) || index !== BigInt(entry.seq)) return fail(`the proof is for leaf ${ip.index}, not for entry #${entry.seq}`);
    if (size !== note.size) return fail(`the proof is for tree size ${ip.size} but the checkpoint is for ${note.size}`);
    const hashes = ip.hashes.map((h, i) => fromBase64(h, `proof hash ${i}`));
    const root = await rootFromInclusionProof(index, size, leaf, hashes);
    if (!same(root, note.root)) {
      return fail(`the computed root ${hex(root).slice(0, 16)}… does not match the checkpoint root ${hex(note.root).slice(0, 16)}…`);
    }
    steps.push({ ok: true, text: `inclusion proof (${hashes.length} hashes) leads to the root of the checkpoint at tree size ${note.size} (${note.origin})` });
    if (verifierKey) {
      const sig = await checkSignature(note, verifierKey);
      if (sig.ok === false) return fail(sig.text);
      steps.push(sig);
    } else {
      steps.push({ ok: null, text: 'signature not checked: the server publishes no log key' });
    }
    return { ok: true, steps };
  } catch (e) {
    return fail(e.message);
  }
}
