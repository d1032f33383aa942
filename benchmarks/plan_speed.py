"""How long the main job takes: ``postmine plan`` on the Abaza example.

Prints, in one process: one deterministic design (the baseline), one costing, a full
``plan()`` (design + costing + Monte Carlo of the example's samples + release schedule), and
the wall time of ``postmine plan ... --json`` and ``--out DIR`` in a fresh interpreter
(what a user waits for), each with its ratio to the baseline and to the 2 s target of issue 3.

Run: python benchmarks/plan_speed.py [--repeat N]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from postmine.project.costing import compute_costs
from postmine.project.engine import design
from postmine.project.plan import plan
from postmine.project.rules import load_rule_set
from postmine.project.schema import read_project

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [
    ROOT / "examples" / "abaza" / "project.toml",
    ROOT / "examples" / "pr1-coal-pit" / "project.toml",
]
TARGET_S = 2.0


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(path: Path, repeat: int) -> None:
    """Time the stages of planning one example and print them."""
    project = read_project(path)
    rules = load_rule_set(project.rules.set, path.parent)
    design(project, rules)  # warm caches
    t_design = best_of(lambda: design(project, rules), repeat * 20)
    part = design(project, rules)
    t_cost = best_of(
        lambda: compute_costs(
            project,
            part.work,
            part.materials,
            part.activity_years,
            tasks=part.tasks,
            rules=rules,
        ),
        repeat,
    )
    t_plan = best_of(lambda: plan(path), repeat)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "postmine.cli.main", "plan", str(path), "--json"],
        check=True,
        capture_output=True,
    )
    t_cli = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "postmine.cli.main", "plan", str(path), "--out", tmp],
            check=True,
            capture_output=True,
        )
        t_out = time.perf_counter() - t0
    print(f"{path.parent.name}: {project.simulation.samples} Monte Carlo samples")
    t_sample = best_of(lambda: design(project, rules, render=False), repeat * 20)
    print(f"  design (baseline)     {t_design * 1e3:8.2f} ms   1.0x")
    print(f"  design of a sample    {t_sample * 1e3:8.2f} ms   {t_sample / t_design:6.2f}x")
    print(f"  costing               {t_cost * 1e3:8.2f} ms   {t_cost / t_design:6.1f}x")
    print(
        f"  plan() in process     {t_plan * 1e3:8.1f} ms   {t_plan / t_design:6.0f}x"
        f"   {t_plan / TARGET_S:5.2f} of the 2 s target"
    )
    print(
        f"  postmine plan --json  {t_cli * 1e3:8.1f} ms   {t_cli / t_design:6.0f}x"
        f"   {t_cli / TARGET_S:5.2f} of the 2 s target (fresh interpreter)"
    )
    print(
        f"  postmine plan --out   {t_out * 1e3:8.1f} ms   {t_out / t_design:6.0f}x"
        f"   {t_out / TARGET_S:5.2f} of the 2 s target (with HTML + Excel report)"
    )


def main() -> None:
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
    for path in EXAMPLES:
        measure(path, repeat)


if __name__ == "__main__":
    main()
