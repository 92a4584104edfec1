"""Run every benchmark of SPEC section P in turn (`make bench`).

    python3 bench/run.py                 # all of them
    python3 bench/run.py lookup webhook  # those whose file name contains a word

Each bench_*.py prints its own figures; this runner only sequences them and
reports which ones failed to run. Benchmarks use their own databases
(clinic_bench_*), never the product's or the tests'.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(words):
    scripts = sorted(HERE.glob("bench_*.py"))
    if words:
        scripts = [s for s in scripts if any(w in s.stem for w in words)]
    failed = []
    for script in scripts:
        print(f"\n===== {script.stem} =====", flush=True)
        start = time.perf_counter()
        code = subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode
        print(f"===== {script.stem}: exit {code}, {time.perf_counter() - start:.0f} s =====")
        if code:
            failed.append(script.stem)
    if failed:
        print(f"\nbenchmarks that did not run through: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
