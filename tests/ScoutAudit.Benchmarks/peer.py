"""The original tool's side of the benchmarks: runs one workload on scout_audit_ref.py and prints
{"seconds": <time of the workload alone>, "max_rss_kib": <peak resident memory>, "result": ...}.

usage: peer.py <model.py> <workload> <log path> [args...]
  log <n>                 n x log() of a realistic event (default cadence: fsync every 10 lines or 1 s)
  query_nav               query(event_type="nav") over the whole file
  spend <hours>           hourly_spend(hours)
  accuracy <iso since>    accuracy_metrics(since)
  rotate_stall            one log() that rotates the (full) active file: the writer's stall
"""
import importlib.util
import json
import resource
import sys
import time
from datetime import datetime, timezone


def load(path):
    spec = importlib.util.spec_from_file_location("scout_audit_ref", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    model_path, workload, log_path, *args = sys.argv[1:]
    ref = load(model_path)
    # Appends are measured without rotation (ScoutAudit's side too); rotate_stall measures rotation alone.
    rotation = int(args[1]) if workload == "rotate_stall" else 2 ** 62
    log = ref.RefAuditLog(log_path, rotation_bytes=rotation)
    start = time.perf_counter()
    result = None
    if workload == "log":
        for _ in range(int(args[0])):
            log.log("nav", cost=0.000168, model="llama-3.1-8b", input_t=1234, output_t=256,
                    files=["src/scout/navigator.py"], reason="navigate to definition",
                    confidence=85, duration_ms=1234)
    elif workload == "query_nav":
        result = len(log.query(event_type="nav"))
    elif workload == "last_nav":
        result = len(log.last_events(int(args[0]), event_type="nav"))
    elif workload == "spend":
        result = log.hourly_spend(int(args[0]))
    elif workload == "accuracy":
        since = datetime.fromisoformat(args[0].replace("Z", "+00:00")).astimezone(timezone.utc)
        result = log.accuracy_metrics(since)
    elif workload == "rotate_stall":
        log.log("nav", cost=0.000168, model="llama-3.1-8b")
    else:
        raise SystemExit(f"unknown workload {workload}")
    seconds = time.perf_counter() - start
    log.close()
    print(json.dumps({"seconds": seconds, "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "result": result}))


if __name__ == "__main__":
    main()
