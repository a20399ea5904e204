"""The README's snippets run as written, its command summary shows every
flag, and the demo can be re-run (issue 11)."""

import os
import re
import subprocess
import sys

import keras
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return f.read()


def _quick_start_blocks():
    section = _readme().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_second_quick_start_snippet_runs_as_written(tmp_path, monkeypatch):
    blocks = _quick_start_blocks()
    assert len(blocks) >= 2
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks[1], "README.md quick start #2", "exec"), {})


def test_command_summary_shows_every_flag_and_its_default():
    from keras_gans import cli

    section = _readme().split("## The command", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    usage = {part.split()[0]: part for part in block.split("keras-gans ")[1:]}
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        for action in command._actions:
            if action.help == "==SUPPRESS==" or not action.option_strings:
                continue
            flag = max(action.option_strings, key=len)
            if flag == "--help":
                continue
            assert re.search(rf"{re.escape(flag)}\b", usage[name]), (name, flag)
    for text in ("--out runs/NAME", "the next version", "--dataset"):
        assert text in section, text


def test_gitignore_covers_runs_and_quick_start_outputs():
    with open(os.path.join(ROOT, ".gitignore"), encoding="utf-8") as f:
        lines = f.read().split()
    for entry in ("/runs/", "/samples.png", "/dcgan.keras"):
        assert entry in lines


def _demo(out, *extra):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # as a newcomer runs it
    command = [sys.executable, os.path.join(ROOT, "examples", "demo.py"), "--out",
               str(out), "--epochs", "2", "--batch-size", "256", "--num-samples", "200"]
    return subprocess.run(command + list(extra), env=env, capture_output=True, text=True,
                          timeout=600)


def test_demo_reruns_with_overwrite_and_logs_one_line_per_epoch(tmp_path):
    # Every backend's pass trains, samples and exports under its KERAS_BACKEND.
    first = _demo(tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    epoch_lines = [l for l in first.stdout.splitlines() if l.startswith("epoch ")]
    assert [l.split(":")[0] for l in epoch_lines] == ["epoch 1/2", "epoch 2/2"]
    assert "\r" not in first.stdout and "\x08" not in first.stdout
    # Issue 20: a one-line verdict ends the run, and no TensorFlow start-up
    # line (cuInit errors, absl notices) reaches the output.
    last = first.stdout.strip().splitlines()[-1]
    assert last.startswith("verdict: ") and "against a real-data floor of" in last
    assert "curves" in last
    noise = ("WARNING: All log messages before absl", "I0000", "E0000", "W0000")
    assert not [l for l in first.stderr.splitlines() if l.startswith(noise)], first.stderr
    if keras.backend.backend() != "tensorflow":
        # The refusal and --overwrite are the demo's own file handling, the
        # same Python on every backend: two more full runs only on the
        # TensorFlow pass (the demo's default backend).
        return
    again = _demo(tmp_path)
    assert again.returncode == 2 and "OVERWRITE=1" in again.stderr
    rerun = _demo(tmp_path, "--overwrite")
    assert rerun.returncode == 0, rerun.stderr[-2000:]


def test_makefile_demo_passes_overwrite():
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as f:
        text = f.read()
    assert "$(if $(OVERWRITE),--overwrite,)" in text
