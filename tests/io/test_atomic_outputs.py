"""The atomic writer's outputs: read-only targets, links, special files, folders
that cannot be written, errors that name the target, and temporary files left by
an interrupted write (:mod:`gaussmix.io.atomic`)."""

import errno
import os
import stat
from pathlib import Path

import pytest

import gaussmix
from gaussmix.io import atomic
from gaussmix.io.atomic import (
    atomic_path,
    check_target,
    remove_temporaries,
    replacing_read_only,
    write_text,
)
from gaussmix.io.errors import DataError, MissingFolderError, OutputPermissionError

is_root = hasattr(os, "geteuid") and os.geteuid() == 0


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def stray(folder):
    return [p.name for p in Path(folder).iterdir() if p.name.startswith(".gaussmix-")]


@pytest.fixture
def read_only(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old\n")
    path.chmod(0o444)
    yield path
    path.chmod(0o644)


# ---------------------------------------------------------------------- read-only
def test_a_read_only_target_is_refused_naming_it(read_only):
    with pytest.raises(PermissionError, match="out.csv': it is read-only") as info:
        write_text("new\n", read_only)
    assert isinstance(info.value, OutputPermissionError) and ".gaussmix-" not in str(info.value)
    assert read_only.read_text() == "old\n" and mode(read_only) == 0o444
    assert stray(read_only.parent) == []


def test_force_replaces_a_read_only_target_and_keeps_its_permissions(read_only):
    write_text("new\n", read_only, force=True)
    assert read_only.read_text() == "new\n" and mode(read_only) == 0o444
    with replacing_read_only():
        write_text("newer\n", read_only)
    assert read_only.read_text() == "newer\n"
    with pytest.raises(PermissionError):                   # the context has ended
        write_text("newest\n", read_only)


def test_an_ordinary_file_is_replaced_as_before_and_keeps_its_permissions(tmp_path):
    path = tmp_path / "m.json"
    write_text("a", path)
    assert mode(path) == 0o666 & ~atomic._umask()           # a new file: the usual mode
    path.chmod(0o600)
    write_text("b", path)
    assert path.read_text() == "b" and mode(path) == 0o600


def test_save_refuses_a_read_only_model_file(tmp_path):
    gm = gaussmix.GaussianMixture(2, random_state=0).fit(gaussmix.load_faithful())
    path = tmp_path / "m.json"
    gm.save(path)
    gm.save(path)                                           # an ordinary file: replaced
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(PermissionError, match="m.json"):
        gm.save(path)
    assert path.read_bytes() == before and stray(tmp_path) == []
    with replacing_read_only():
        gm.save(path)
    gm.save(path, force=True)                               # the same, as an argument
    assert mode(path) == 0o444 and gaussmix.load(path).n_components == 2
    path.chmod(0o644)


# ---------------------------------------------------------------------- links, special files
def test_a_link_is_written_through(tmp_path):
    (tmp_path / "runs").mkdir()
    target = tmp_path / "runs" / "a.csv"
    target.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    write_text("new\n", link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new\n"
    assert stray(tmp_path) == [] and stray(target.parent) == []


def test_a_dangling_link_creates_its_target(tmp_path):
    link = tmp_path / "l.csv"
    link.symlink_to("made.csv")
    write_text("x", link)
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == "x"


def test_a_link_to_a_read_only_file_is_refused(read_only):
    link = read_only.parent / "l.csv"
    link.symlink_to(read_only.name)
    with pytest.raises(OutputPermissionError, match="l.csv"):
        write_text("new\n", link)
    assert read_only.read_text() == "old\n"


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "n.csv"
    link.symlink_to("/dev/null")
    with pytest.raises(DataError, match="not a regular file"):
        write_text("x", link)
    assert stray(tmp_path) == []


def test_a_folder_and_a_missing_folder(tmp_path):
    with pytest.raises(DataError, match="is a folder"):
        check_target(tmp_path)
    with pytest.raises(MissingFolderError, match="does not exist"):
        check_target(tmp_path / "no" / "x.csv")


# ---------------------------------------------------------------------- permissions
def test_a_folder_that_cannot_be_written_is_found_before_writing(tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, **kw: False if os.fspath(p) == str(tmp_path)
                        else real_access(p, m, **kw))
    with pytest.raises(OutputPermissionError, match="folder .* is not writable") as info:
        check_target(tmp_path / "out.csv")
    assert "out.csv" in str(info.value) and ".gaussmix-" not in str(info.value)


@pytest.mark.skipif(is_root or not hasattr(os, "geteuid"), reason="root may write anywhere")
def test_a_read_only_folder_for_real(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputPermissionError, match="not writable"):
            write_text("x", folder / "out.csv")
    finally:
        folder.chmod(0o755)


def test_a_failing_temporary_file_is_reported_as_the_target(tmp_path, monkeypatch):
    real_open = os.open

    def no_hidden_files(path, *args, **kwargs):
        if ".gaussmix-" in os.fspath(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_hidden_files)
    with pytest.raises(PermissionError) as info:
        write_text("x", tmp_path / "out.csv")
    assert "out.csv" in str(info.value) and ".gaussmix-" not in str(info.value)


def test_a_writer_error_about_the_temporary_file_names_the_target(tmp_path):
    with pytest.raises(OSError) as info:
        with atomic_path(tmp_path / "out.csv") as tmp:
            raise OSError(errno.ENOSPC, "No space left on device", tmp)
    assert info.value.errno == errno.ENOSPC
    assert "out.csv" in str(info.value) and ".gaussmix-" not in str(info.value)
    assert stray(tmp_path) == []


# ---------------------------------------------------------------------- temporaries
def test_temporaries_whose_clean_up_was_cut_short_are_removed(tmp_path):
    manager = atomic_path(tmp_path / "out.csv")
    tmp = manager.__enter__()                      # as if a signal stopped the write here
    Path(tmp).write_text("half")
    assert stray(tmp_path) == [Path(tmp).name]
    remove_temporaries()
    assert stray(tmp_path) == [] and not (tmp_path / "out.csv").exists()
    remove_temporaries()                           # nothing left: nothing to do
