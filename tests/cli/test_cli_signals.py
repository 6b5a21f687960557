"""The README's promises about errors and writes, held by a real ``gaussmix`` process:
exit codes 0/1/2, one line on stderr, no stray ``.gaussmix-*`` file, an existing
file intact; SIGINT, SIGTERM and SIGHUP delivered mid-write or during start-up stop
the command like Ctrl-C (exit 128 + the signal's number)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("click")

import gaussmix  # noqa: E402
from gaussmix import __main__ as entry  # noqa: E402

posix_only = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
STOP = [getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("promises")
    gaussmix.load_faithful(as_frame=True).to_csv(d / "faithful.csv", index=False)
    gaussmix.GaussianMixture(2, random_state=0).fit(
        gaussmix.load_faithful(as_frame=True)).save(d / "m.json")
    return d


def start(*args, cwd, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "gaussmix", *map(str, args)], cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def stray(folder):
    return [p.name for p in Path(folder).iterdir() if p.name.startswith(".gaussmix-")]


def wait_for(condition, proc, what, limit=60.0):
    """Poll ``condition()`` until true; fail if ``proc`` ends first or time runs out."""
    deadline = time.monotonic() + limit
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the command ended (exit {proc.returncode}) before {what}: "
                        f"{proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"no {what} within {limit} s")
        time.sleep(0.005)


def one_line(stderr):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


# ---------------------------------------------------------------------- exit codes
@pytest.mark.parametrize("args, code", [
    (["sample", "m.json", "-n", "3", "--seed", "1", "-o", "out.csv"], 0),
    (["fit", "faithful.csv", "-k", "2", "-o", "no/folder/m.json"], 1),
    (["sample", "m.json", "-n", "3", "-o", "out.xlsx"], 2),
])
def test_exit_codes_one_line_and_an_existing_file_intact(folder, tmp_path, args, code):
    for name in ("faithful.csv", "m.json"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    (tmp_path / "out.csv").write_text("old\n")
    proc = start(*args, cwd=tmp_path)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    if code:
        assert one_line(err).startswith("gaussmix")
        assert (tmp_path / "out.csv").read_text() == "old\n"
    else:
        assert len(pd.read_csv(tmp_path / "out.csv")) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["faithful.csv", "m.json", "out.csv"]


# ---------------------------------------------------------------------- signals mid-write
#: Tries before a test gives up on landing its signal inside the window it aims at.
TRIES = 4


def signal_in_window(launch, ready, signum, what):
    """Start a command with ``launch()``, wait for ``ready()``, send ``signum``; return
    ``(proc, stderr)`` of the first try whose signal reached the command in time.

    A try is late when the command exits 0 with its success note: on a loaded machine
    the test process can be descheduled for longer than the window (a 2.5 s write)
    lasts, and then no signal arrives while the command runs. A command that ignored
    the signal exits 0 on every try, so it still fails, after ``TRIES`` tries."""
    for _ in range(TRIES):
        proc = launch()
        try:
            wait_for(ready, proc, what)
            proc.send_signal(signum)   # skipped by Popen when the command has already ended
            _, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
        if not (proc.returncode == 0 and "wrote" in err):
            return proc, err
    pytest.fail(f"{signal.Signals(signum).name} never stopped the command in {TRIES} tries: "
                f"each ran to the end (exit 0): {err}")


@posix_only
@pytest.mark.parametrize("signum", STOP, ids=[s.name for s in STOP])
def test_a_signal_mid_write_leaves_the_target_and_nothing_else(folder, tmp_path, signum):
    def launch():
        (tmp_path / "out.csv").write_text("old\n")
        return start("sample", folder / "m.json", "-n", 1_000_000, "--seed", 1, "-o",
                     "out.csv", cwd=tmp_path)

    proc, err = signal_in_window(launch, lambda: stray(tmp_path), signum, "temporary file")
    assert proc.returncode == 128 + signum, err
    assert signal.Signals(signum).name in one_line(err)
    assert (tmp_path / "out.csv").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


# ---------------------------------------------------------------------- signals at start-up
def caught_signals(pid):
    """The signals process ``pid`` has handlers for (Linux: /proc/PID/status SigCgt)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return set()
    mask = int(next(line.split()[1] for line in text.splitlines()
                    if line.startswith("SigCgt:")), 16)
    return {s for s in range(1, 65) if mask >> (s - 1) & 1}


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/status").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_start_up_is_one_line(folder, tmp_path, signum):
    """Sent as soon as gaussmix.__main__ has installed its handlers: while click,
    pandas and the commands are still being imported."""
    launched = []

    def launch():
        (tmp_path / "m.json").unlink(missing_ok=True)   # written by a late try
        launched.append(start("fit", folder / "faithful.csv", "-k", 2, "-o", "m.json",
                              cwd=tmp_path))
        return launched[-1]

    proc, err = signal_in_window(
        launch, lambda: signal.SIGTERM in caught_signals(launched[-1].pid), signum,
        "signal handlers")
    assert proc.returncode == 128 + signum, err
    one_line(err)
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_an_ignored_sighup_stays_ignored(folder, tmp_path):
    """nohup ignores SIGHUP; gaussmix keeps it ignored instead of handling it."""
    def ignore_hup():
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    proc = start("fit", folder / "faithful.csv", "-k", 2, cwd=tmp_path, preexec_fn=ignore_hup)
    try:
        if Path(f"/proc/{proc.pid}/status").exists():
            wait_for(lambda: signal.SIGTERM in caught_signals(proc.pid), proc, "handlers",
                     limit=30)
            assert signal.SIGHUP not in caught_signals(proc.pid)
        proc.send_signal(signal.SIGHUP)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, err


# ---------------------------------------------------------------------- the handler itself
def test_the_first_signal_raises_a_later_one_exits_at_once(monkeypatch, tmp_path):
    exits, removed = [], []
    monkeypatch.setattr(entry, "_STATE", {"phase": "running", "signum": None})
    monkeypatch.setattr(entry.os, "_exit", exits.append)
    monkeypatch.setattr(entry, "remove_temporaries", lambda: removed.append(True))
    with pytest.raises(KeyboardInterrupt) as info:
        entry._on_signal(signal.SIGTERM, None)
    assert isinstance(info.value, entry.Interrupted) and info.value.signum == signal.SIGTERM
    entry._on_signal(signal.SIGINT, None)                   # during the clean-up
    assert removed == [True] and exits == [128 + signal.SIGTERM]
    entry._STATE["phase"] = "finished"
    entry._on_signal(signal.SIGINT, None)                   # after the command: ignored
    assert exits == [128 + signal.SIGTERM]


def test_interrupted_line_names_the_signal():
    from gaussmix.cli.errors import interrupted_line

    for signum in STOP:
        assert interrupted_line(signum) == entry.interrupted_line(signum)
        assert signal.Signals(signum).name in interrupted_line(signum)
