"""Run `sendplan validate` on each plan given, in this one process, and record what happened.

    python run_corpus.py RESULTS.json [FORMATS=]PLAN...

FORMATS is `json,text` (the default) or `json` alone (for the heaviest case, whose text run
would only double its time).

tests/hostile/test_hostile.py runs this under `ulimit -v 3000000` (3 GB of address space):
a memory blow-up then fails as MemoryError instead of taking the machine down. For each plan it
records the exit code, the seconds taken, the JSON findings, the text output, and any exception
that escaped (a bug); at the end, the peak resident memory of the whole run.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from contextlib import redirect_stderr, redirect_stdout

from sendplan.cli import app


def _run(args: list[str]) -> tuple[object, str]:
    out = io.StringIO()
    code: object = 0
    try:
        with redirect_stdout(out), redirect_stderr(out):
            app(args, prog_name="sendplan")
    except SystemExit as e:
        code = e.code
    except BaseException as e:  # a bug: any exception reaching here would be a traceback
        code = f"escaped {type(e).__name__}"
    return code, out.getvalue()


def main(results_path: str, plans: list[str]) -> None:
    results = []
    for arg in plans:
        formats, _, plan = arg.partition("=") if "=" in arg else ("", "", arg)
        start = time.perf_counter()
        code, output = _run(["validate", "--plan", plan, "--format", "json"])
        text_code, text = code, ""
        if "text" in (formats or "text"):
            text_code, text = _run(["validate", "--plan", plan, "--format", "text"])
        results.append(
            {
                "plan": plan,
                "exit": code,
                "text_exit": text_code,
                "seconds": time.perf_counter() - start,
                "json": output,
                "text": text,
            }
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump({"results": results, "peak_mb": peak_mb}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
