#!/usr/bin/env bash
# Two "hosts" on one machine: two network namespaces joined by a veth pair (10.231.77.1 and
# .2, addresses that exist only inside the namespaces this script creates), one MPI rank in
# each, TCP transport between them; mpirun reaches the second namespace through an rsh agent
# that runs `ip netns exec`. Checks that `docket classify` writes the byte-identical file of one
# process and that `docket finetune` (10 steps, dropout 0) logs the same losses as one process.
# Skips (exit 0, with a message) without root, iproute2 or mpirun. Called by Scripts/test.sh.
#   Scripts/checks/test-mpi-two-hosts.sh [DOCKET_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-.build/debug/docket}")
skip() { echo "two-host MPI test: skipped ($1)"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root for ip netns"
command -v ip >/dev/null || skip "iproute2 (ip) not installed"
command -v mpirun >/dev/null || skip "mpirun not installed"
[ -x "$bin" ] || { echo "two-host MPI test: $bin not built" >&2; exit 1; }

tag=dkt$$; a=$tag-a; b=$tag-b
work=$(mktemp -d)
cleanup() { ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$a" 2>/dev/null || skip "cannot create network namespaces here"
ip netns add "$b"
ip link add "$tag-va" type veth peer name "$tag-vb"
ip link set "$tag-va" netns "$a"; ip link set "$tag-vb" netns "$b"
ip -n "$a" addr add 10.231.77.1/24 dev "$tag-va"; ip -n "$b" addr add 10.231.77.2/24 dev "$tag-vb"
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
ip -n "$a" link set "$tag-va" up; ip -n "$b" link set "$tag-vb" up

cat > "$work/agent.sh" <<AGENT
#!/bin/sh
# mpirun's rsh agent: "agent HOST COMMAND..." runs COMMAND in HOST's namespace.
host=\$1; shift
case "\$host" in 10.231.77.1) ns=$a ;; 10.231.77.2) ns=$b ;; *) echo "agent: unknown host \$host" >&2; exit 1 ;; esac
exec ip netns exec "\$ns" sh -c "\$*"
AGENT
chmod +x "$work/agent.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
two_hosts() {
  timeout 300 ip netns exec "$a" mpirun -np 2 --host 10.231.77.1:1,10.231.77.2:1 --mca plm_rsh_agent "$work/agent.sh" \
    --mca btl self,tcp --mca btl_tcp_if_include 10.231.77.0/24 --mca oob_tcp_if_include 10.231.77.0/24 \
    --bind-to none "$@"
}

head -n 40 Corpora/train.jsonl > "$work/train.jsonl"
echo '{"model_type": "distilbert", "dim": 32, "n_layers": 2, "n_heads": 2, "hidden_dim": 64, "max_position_embeddings": 64, "activation": "gelu"}' > "$work/tiny.json"
"$bin" init --config "$work/tiny.json" --tokenizer Vocab/legal-wordpiece-4k.txt --output "$work/init" \
  --labels Contract,Patent,Litigation,Compliance,Corporate >/dev/null

# Ranks really are on different "hosts": each sees only its own veth address.
two_hosts sh -c 'ip -4 -o addr show | grep -o "10\.231\.77\.[12]"' | sort > "$work/addresses"
[ "$(tr '\n' ' ' < "$work/addresses")" = "10.231.77.1 10.231.77.2 " ] \
  || { echo "two-host MPI test: FAILED, ranks saw addresses: $(cat "$work/addresses")" >&2; exit 1; }

"$bin" classify --model "$work/init" --input "$work/train.jsonl" --output "$work/one.jsonl" --batch-size 4
two_hosts "$bin" classify --model "$work/init" --input "$work/train.jsonl" --output "$work/two.jsonl" --batch-size 4
cmp "$work/one.jsonl" "$work/two.jsonl" || { echo "two-host MPI test: FAILED, classify output differs" >&2; exit 1; }

ft=(finetune --model "$work/init" --train "$work/train.jsonl" --max-steps 10 --batch-size 6 --max-length 48
    --dropout 0 --learning-rate 2e-3)
"$bin" "${ft[@]}" --output "$work/ft-one" >/dev/null
two_hosts "$bin" "${ft[@]}" --output "$work/ft-two" >/dev/null
losses() { grep '"type":"step"' "$1" | sed -E 's/.*"loss":([^,]*),.*/\1/'; }
paste <(losses "$work/ft-one/training_log.jsonl") <(losses "$work/ft-two/training_log.jsonl") > "$work/losses"
[ "$(wc -l < "$work/losses")" -eq 10 ] || { echo "two-host MPI test: FAILED, expected 10 logged steps" >&2; exit 1; }
awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 1e-5) { bad = 1; print "step " NR ": " $1 " vs " $2 } } END { exit bad }' "$work/losses" \
  || { echo "two-host MPI test: FAILED, two-host losses differ from one process by more than 1e-5" >&2; exit 1; }
grep -q '"ranks":2' "$work/ft-two/training_log.jsonl"
echo "two-host MPI test: passed (classify byte-identical; 10 fine-tuning losses within 1e-5 of one process)"
