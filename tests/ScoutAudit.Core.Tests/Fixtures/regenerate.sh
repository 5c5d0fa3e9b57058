#!/usr/bin/env bash
# Regenerates every interop fixture in this folder from the behavioural model of the original
# Python tool: $SCOUT_REFERENCE_MODEL, else ../shared/reference/scout_audit_ref.py beside the
# repository root. Needs bash, python3 and the dotnet SDK; runs from any working directory.
#
# It produces, in this folder:
#   model_corpus.jsonl      the model's `write` of each entry of "corpus" in model_corpus_recipe.json,
#                           in order, into one file (lines Core must read and write back byte for byte)
#   model_edge_cases.jsonl  the same for "edge_cases" (lines on which Core deviated; each has a "case" field)
#   model_odd_lines.jsonl, model_odd_costs.jsonl
#                           the same for "odd_lines" and "odd_costs" (standard fields of the wrong JSON type)
#   model_answers_on_odd_lines.json
#                           the model's answers on each odd file: {"<file>": {"query": <events counted>,
#                           "accuracy": <accuracy --since 2000-01-01T00:00:00Z>, "spend": <spend --hours 1000000,
#                           or {"error": "<the exception>"} when the original cannot sum the file>,
#                           "spend of the costs that are numbers": <the same on the file without the lines whose
#                           cost is not a finite JSON number>}}
#   python_float_repr.tsv   ~3000 doubles, one per line: <16 hex digits of the IEEE 754 bits><TAB><python repr>
#   core_written.jsonl      what Core's AuditLog.Append writes for the interop event set, written by
#                           `dotnet test` of TheOriginalReadsWhatCoreWrites with SCOUT_WRITE_FIXTURES=1
#   model_answers_on_core_written.json
#                           the model's answer on core_written.jsonl to each question of
#                           core_written_questions.json: {"<question name>": <model's JSON output>, ...}
#   original_rotation/      what the model leaves after rotating (--rotation-bytes 1500): two archives
#                           audit_YYYYMMDD_HHMMSS.jsonl.gz and the active audit.jsonl, 18 events in all
# model_corpus_recipe.json and core_written_questions.json are inputs, written by hand.
#
# Usage: tests/ScoutAudit.Core.Tests/Fixtures/regenerate.sh
set -euo pipefail

fixtures="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$fixtures/../../.." && pwd)"
[[ -f "$root/ScoutAudit.sln" ]] || { echo "regenerate.sh: no ScoutAudit.sln in $root" >&2; exit 1; }
model="${SCOUT_REFERENCE_MODEL:-$root/../shared/reference/scout_audit_ref.py}"
[[ -f "$model" ]] || { echo "regenerate.sh: reference model not found at $model (set SCOUT_REFERENCE_MODEL)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "regenerate.sh: python3 is not on PATH" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "regenerate.sh: dotnet is not on PATH" >&2; exit 1; }
model="$(cd "$(dirname "$model")" && pwd)/$(basename "$model")"
# Command-line arguments carry non-ASCII text; the tests run the model with the same setting.
export PYTHONUTF8=1

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "model corpus and edge cases from $model"
python3 - "$model" "$fixtures/model_corpus_recipe.json" "$scratch" <<'PY'
import json, os, subprocess, sys
model, recipe_path, scratch = sys.argv[1:4]
with open(recipe_path, encoding="utf-8") as f:
    recipe = json.load(f)
for section, name in (("corpus", "model_corpus.jsonl"), ("edge_cases", "model_edge_cases.jsonl"),
                      ("odd_lines", "model_odd_lines.jsonl"), ("odd_costs", "model_odd_costs.jsonl")):
    target = os.path.join(scratch, name)
    for arguments in recipe[section]:
        subprocess.run([sys.executable, model, "write", "--path", target, *arguments],
                       check=True, stdout=subprocess.DEVNULL)
PY
cp "$scratch/model_corpus.jsonl" "$scratch/model_edge_cases.jsonl" "$scratch/model_odd_lines.jsonl" "$scratch/model_odd_costs.jsonl" "$fixtures/"

echo "model_answers_on_odd_lines.json"
python3 - "$model" "$scratch" "$fixtures/model_answers_on_odd_lines.json" <<'PY'
import json, math, os, subprocess, sys
model, scratch, answers_path = sys.argv[1:4]

def ask(path, command, *options):
    run = subprocess.run([sys.executable, model, command, "--path", path, *options], capture_output=True, text=True, encoding="utf-8")
    if run.returncode != 0:  # the original's own exception, e.g. a string cost in hourly_spend's sum()
        return {"error": run.stderr.strip().splitlines()[-1]}
    return json.loads(run.stdout)

def is_summable(line):
    cost = json.loads(line).get("cost")
    return cost is None or (isinstance(cost, (int, float)) and not isinstance(cost, bool) and math.isfinite(cost))

answers = {}
for name in ("model_odd_lines.jsonl", "model_odd_costs.jsonl"):
    path = os.path.join(scratch, name)
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    summable = os.path.join(scratch, "summable_" + name)
    with open(summable, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(line for line in lines if is_summable(line))
    answers[name] = {
        "query": len(ask(path, "query")["events"]),
        "accuracy": ask(path, "accuracy", "--since", "2000-01-01T00:00:00Z"),
        "spend": ask(path, "spend", "--hours", "1000000"),
        "spend of the costs that are numbers": ask(summable, "spend", "--hours", "1000000"),
    }
with open(answers_path, "w", encoding="utf-8", newline="\n") as f:
    json.dump(answers, f, indent=2)
    f.write("\n")
PY

echo "python_float_repr.tsv"
python3 - "$fixtures/python_float_repr.tsv" <<'PY'
import math, random, struct, sys

def bits(x): return struct.unpack("<Q", struct.pack("<d", x))[0]
def from_bits(b): return struct.unpack("<d", struct.pack("<Q", b))[0]

values, seen = [], set()
def add(x):
    if math.isfinite(x) and bits(x) not in seen:
        seen.add(bits(x))
        values.append(x)
def around(x, steps=2):
    # x and its neighbours a few ulps away (bit patterns of positive doubles are ordered)
    b = bits(abs(x))
    for d in range(-steps, steps + 1):
        if 0 <= b + d < 0x7FF0000000000000:
            add(math.copysign(from_bits(b + d), x))

rng = random.Random(20250314)
for x in (0.0, -0.0, 5e-324, 2.2250738585072009e-308, 2.2250738585072014e-308, 1.7976931348623157e+308):
    around(x); around(-x)
# Where repr switches between positional and exponent notation: 1e-4 (0.0001 vs 1e-05) and 1e16.
for t in (1e-3, 1e-4, 1e-5, 1e15, 1e16, 1e17):
    around(t, 3); around(-t, 3)
    for m in (1.5, 9.5, 9.999, 9.999999999999998, 0.9999999999999999, 1.0000000000000002, 0.12345678901234567, 0.5):
        add(t * m); add(-t * m)
for x in (123456789012345.6, 1234567890123456.0, 1234567890123456.7, 12345678901234567.0, 9007199254740992.0,
          9007199254740993.0, 9999999999999998.0, 0.00012345, 1.2345e-05, 0.000099999, 0.1, 0.2, 0.3, 0.1 + 0.2,
          1 / 3, 2 / 3, 0.000003, 0.0125, 0.00042, 1e-07, 3e-06, 2.5, 100.0, 1e22, 1e23, 5e-324 * 3):
    add(x); add(-x)
for e in range(-323, 309):
    add(float("1e%d" % e)); around(float("1e%d" % e), 1)
for k in range(-1074, 1024, 7):
    add(2.0 ** k)
for n in list(range(0, 101)) + [2**53 - 1, 2**53, 2**53 + 2, 10**15, 10**16, 10**17, 10**15 + 1, 10**16 + 2]:
    add(float(n)); add(-float(n))
for _ in range(200):   # costs as people write them
    add(rng.randrange(1, 10**6) * 1e-6); add(rng.randrange(1, 10**4) / 10**rng.randrange(1, 9))
for _ in range(150):   # subnormals
    add(from_bits(rng.getrandbits(52)))
for _ in range(300):   # log-uniform over the whole range
    add(rng.choice((1, -1)) * 10 ** rng.uniform(-320, 308))
while len(values) < 3000:   # random bit patterns
    add(from_bits(rng.getrandbits(64)))

with open(sys.argv[1], "w", encoding="ascii", newline="\n") as out:
    for x in values:
        out.write("%016x\t%s\n" % (bits(x), repr(x)))
PY

echo "core_written.jsonl (dotnet test with SCOUT_WRITE_FIXTURES=1)"
SCOUT_WRITE_FIXTURES=1 dotnet test "$root/tests/ScoutAudit.Core.Tests" --nologo \
    --filter "FullyQualifiedName=ScoutAudit.Core.Tests.Interop.TheOriginalReadsWhatCoreWrites.CoreWritesTheCommittedBytes"

echo "model_answers_on_core_written.json"
cp "$fixtures/core_written.jsonl" "$scratch/core_written.jsonl"
python3 - "$model" "$fixtures/core_written_questions.json" "$scratch/core_written.jsonl" \
    "$fixtures/model_answers_on_core_written.json" <<'PY'
import json, subprocess, sys
model, questions_path, log_path, answers_path = sys.argv[1:5]
with open(questions_path, encoding="utf-8") as f:
    questions = json.load(f)["questions"]
entries = []
for question in questions:
    command, *options = question["args"]
    out = subprocess.run([sys.executable, model, command, "--path", log_path, *options],
                         check=True, capture_output=True, text=True, encoding="utf-8").stdout
    entries.append(json.dumps(question["name"]) + ": " + json.dumps(json.loads(out)))
with open(answers_path, "w", encoding="utf-8", newline="\n") as f:
    f.write("{\n" + ",\n".join(entries) + "\n}\n")
PY
echo "original_rotation/ (three model runs a second apart, each rotating the previous run's file)"
rm -rf "$fixtures/original_rotation" "$scratch/rotation" && mkdir -p "$scratch/rotation"
for run in 1 2 3; do
    python3 "$model" write --path "$scratch/rotation/audit.jsonl" --count 6 --event nav --cost 0.000003 \
        --model llama-3.1-8b --input-t 42 --output-t 28 --reason "run $run" --rotation-bytes 1500 >/dev/null
    [[ $run == 3 ]] || sleep 1.2  # the original names archives to the second and would overwrite one
done
mkdir -p "$fixtures/original_rotation"
cp "$scratch"/rotation/audit_*.jsonl.gz "$scratch/rotation/audit.jsonl" "$fixtures/original_rotation/"

echo "done"
