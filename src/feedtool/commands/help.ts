// The help texts: ordinanza-feed --help and each command's --help.
import { SIGNING_ENV } from './shared.ts';

export const HELP: Record<string, string> = {
  main: `Usage: ordinanza-feed <command> [options]

Builds, signs, verifies and compares Ordinanza block-order feeds (format 2).

Commands:
  build MANIFEST --out FEED   build a feed from a source manifest (and sign it)
  keygen --out PREFIX         create an Ed25519 release key pair
  verify FEED --key PUBKEY    check a feed's signature, then its schema
  diff OLD NEW                hosts and orders added, removed or changed
  stats FEED                  counts per authority, order, category and edition
  delta NEW --from OLD        signed deltas from older serials, published beside NEW

Run "ordinanza-feed <command> --help" for a command's options. Format: docs/feed-format.md.
`,
  build: `Usage: ordinanza-feed build MANIFEST --out FEED [options]

Builds FEED from the source manifest (e.g. lists/it/sources.yaml). The output depends only on
the manifest and its files, so two builds give identical bytes. Every source is reported:
lines read, hosts kept, duplicates, and each rejected line as FILE:LINE: reason.

Signing: with --sign KEYFILE, or ${SIGNING_ENV}=KEYFILE in the environment, FEED.sig is written.
Without a signing key, an existing FEED.sig is kept only if it still verifies against the new
bytes with a --trusted-key; otherwise nothing is written and the build fails, because the feed
must be signed by a maintainer. --unsigned writes FEED anyway and removes a stale FEED.sig.

Options:
  --out FEED            where to write the feed (required)
  --sign KEYFILE        private key file (PREFIX.private.json) to sign with
  --trusted-key PUBKEY  release public key: the signing key must be it, and an existing
                        signature is checked against it (repeatable)
  --unsigned            write the feed without a signature (for review, not for release)
  --report FILE         also write the full import report as JSON
  --quiet               print only the summary and the rejections
  -h, --help            this help
`,
  keygen: `Usage: ordinanza-feed keygen --out PREFIX [--comment TEXT]

Creates an Ed25519 key pair: PREFIX.private.json (mode 0600) and PREFIX.pub.json.
Never commit the private key: keep it offline or in a secret store. Existing files are
not overwritten.

Options:
  --out PREFIX      path prefix of the two files (required)
  --comment TEXT    a note stored in the public key file
  -h, --help        this help
`,
  verify: `Usage: ordinanza-feed verify FEED --key PUBKEY [--key PUBKEY...] [--sig SIGFILE]

Checks the detached signature (FEED.sig unless --sig) against the trusted public keys, then
the feed's JSON and schema. Exit 0 only if both pass; otherwise the reason is printed:
bad signature, unknown key, malformed signature, invalid JSON (truncated?) or schema errors.

Options:
  --key PUBKEY      a trusted public key file (required, repeatable)
  --sig SIGFILE     the signature file (default FEED.sig)
  -h, --help        this help
`,
  diff: `Usage: ordinanza-feed diff OLD NEW [--json]

Lists authorities, orders and editions added, removed or changed, and hosts added, removed
or moved to other orders or editions. Exit 0 whether or not there are differences.

Options:
  --json        machine-readable output
  -h, --help    this help
`,
  delta: `Usage: ordinanza-feed delta NEW --from OLD [--from OLD...] [--out-dir DIR] [--sign KEYFILE]

Writes, for each OLD feed, the delta that takes a browser from OLD's serial to NEW's:
DIR/<JURISDICTION>.delta-<OLD serial>.json and its .sig, beside NEW (DIR defaults to NEW's folder).
Browsers look for a delta beside the feed's URL (IT.json -> IT.delta-<serial>.json), so publish NEW
as <JURISDICTION>.json in the same folder as its deltas.
A browser at a recent serial then fetches kilobytes instead of the whole list; one at any other
serial fetches the full feed. Publish the full feed first and its deltas after it. Deltas must
be signed with the same key as the feed (--sign or ${SIGNING_ENV}). Every delta is checked
before any is written: if one OLD fails, none is written.

Options:
  --from OLD        an earlier feed of the same jurisdiction (required, repeatable)
  --out-dir DIR     where to write the deltas (default: the folder of NEW)
  --sign KEYFILE    private key file to sign with (or ${SIGNING_ENV})
  --unsigned        write the deltas without signatures (for review only)
  -h, --help        this help
`,
  stats: `Usage: ordinanza-feed stats FEED [--json]

Counts hosts per authority, order, category and edition.

Options:
  --json        machine-readable output
  -h, --help    this help
`,
};
