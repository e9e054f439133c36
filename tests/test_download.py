"""Download over HTTP from a local server only (127.0.0.1): verified, cached, atomic."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run, tree_digest

from sinopak.destination import MARKER, DestinationError
from sinopak.downloader import DownloadError, download

VERSION_ZIP = (
    f"sinopak-{json.loads((ROOT / 'dist' / 'datapackage.json').read_text())['version']}.zip"
)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A copy of dist/ served on 127.0.0.1; the cache goes to a temp folder."""
    root = tmp_path / "www"
    shutil.copytree(ROOT / "dist", root)
    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("SINOPAK_OFFLINE", raising=False)
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root
    server.shutdown()
    server.server_close()


def package_files(folder: Path) -> dict[str, str]:
    return {
        k: v
        for k, v in tree_digest(folder).items()
        if k == "datapackage.json" or k.split("/")[0] in ("csv", "json", "parquet", "sources")
    }


def test_download_from_datapackage_url(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    dest = download(tmp_path / "out", url + "datapackage.json")
    assert package_files(dest) == package_files(ROOT / "dist")


def test_download_release_zip(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    dest = download(tmp_path / "out", url + VERSION_ZIP)
    assert package_files(dest) == package_files(ROOT / "dist")


def test_hash_mismatch_names_the_resource_and_leaves_nothing(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    path = root / "json" / "events.json"
    path.write_bytes(path.read_bytes().replace(b"2020-12-07", b"2020-12-09", 1))
    with pytest.raises(
        DownloadError,
        match=r"resource events-json \(json/events.json\): sha256 "
        "mismatch: expected .*; nothing was installed",
    ):
        download(tmp_path / "out", url + "datapackage.json")
    assert not (tmp_path / "out").exists()
    assert not any(p.name.startswith(".sinopak-") for p in tmp_path.iterdir())


def test_existing_destination_is_replaced_only_when_verified(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    dest = download(tmp_path / "out", url + "datapackage.json")
    (dest / "old.txt").write_text("previous")
    before = tree_digest(dest)
    (root / "csv" / "posts.csv").write_text("tampered")
    with pytest.raises(DownloadError):
        download(dest, url + "datapackage.json")
    assert tree_digest(dest) == before


def test_offline_uses_the_cache(served: tuple[str, Path], tmp_path: Path) -> None:
    url, root = served
    download(tmp_path / "first", url + "datapackage.json")
    shutil.rmtree(root)  # the server has nothing any more
    dest = download(tmp_path / "second", url + "datapackage.json", offline=True)
    assert package_files(dest) == package_files(ROOT / "dist")


def test_offline_without_cache_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "empty"))
    monkeypatch.setenv("SINOPAK_OFFLINE", "1")
    with pytest.raises(
        DownloadError, match=re.escape("offline and http://127.0.0.1:9/x.json is not in the cache")
    ):
        download(tmp_path / "out", "http://127.0.0.1:9/x.json")


def test_missing_file_is_a_clear_error(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(tmp_path / "out", url + "nothing/datapackage.json", retries=0)


def test_non_http_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="expected an http"):
        download(tmp_path / "out", "ftp://127.0.0.1:9/datapackage.json", retries=0)
    with pytest.raises(DownloadError, match="expected a folder, a release zip"):
        download(tmp_path / "out", "file:///etc/passwd", retries=0)
    assert not (tmp_path / "out").exists()


def everything_listed(folder: Path) -> dict[str, str]:
    """Every file SHA256SUMS lists but the release zip, with the descriptor: what a download
    installs."""
    sums = (folder / "SHA256SUMS").read_text().splitlines()
    listed = {rel: digest for digest, _, rel in (line.partition("  ") for line in sums)}
    return {rel: d for rel, d in listed.items() if not rel.endswith(".zip")}


@pytest.mark.parametrize("form", ["folder", "descriptor", "zip", "file-url", "file-url-zip"])
def test_download_from_a_local_package(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "cache"))
    dist = ROOT / "dist"
    source = {
        "folder": str(dist),
        "descriptor": str(dist / "datapackage.json"),
        "zip": str(dist / VERSION_ZIP),
        "file-url": dist.as_uri() + "/",
        "file-url-zip": (dist / VERSION_ZIP).as_uri(),
    }[form]
    dest = download(tmp_path / "out", source)
    installed = {k: v for k, v in tree_digest(dest).items() if not k.startswith(".sinopak")}
    assert installed == everything_listed(dist)
    assert "README.md" in installed and "sinopak.xlsx" in installed  # card and extras
    assert not (tmp_path / "cache").exists()  # local packages are read in place, not cached


def test_local_package_with_a_link_out_of_it_is_refused(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "dist", package)
    shutil.rmtree(package / "sources")
    outside = tmp_path / "outside"
    shutil.copytree(ROOT / "dist" / "sources", outside)
    (package / "sources").symlink_to(outside)
    with pytest.raises(DownloadError, match="leads outside the package"):
        download(tmp_path / "out", str(package))
    assert not (tmp_path / "out").exists()


def test_a_local_path_that_is_no_package(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="found nothing there"):
        download(tmp_path / "out", str(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(DownloadError, match=r"no datapackage\.json there"):
        download(tmp_path / "out", str(tmp_path / "empty"))


def test_datapackage_url_brings_the_card_and_extras(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    dest = download(tmp_path / "out", url + "datapackage.json")
    installed = {k: v for k, v in tree_digest(dest).items() if not k.startswith(".sinopak")}
    assert installed == everything_listed(ROOT / "dist")
    shutil.rmtree(root)  # offline, from the cache: the same files
    again = download(tmp_path / "again", url + "datapackage.json", offline=True)
    assert {k: v for k, v in tree_digest(again).items() if not k.startswith(".sinopak")} == (
        installed
    )


def test_without_sha256sums_only_the_resources_come_with_a_warning(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    (root / "SHA256SUMS").unlink()
    with pytest.warns(UserWarning, match="only the resources of datapackage.json were fetched"):
        dest = download(tmp_path / "out", url + "datapackage.json", retries=0)
    assert package_files(dest) == package_files(ROOT / "dist")
    assert not (dest / "README.md").exists()


def test_a_tampered_extra_is_refused(served: tuple[str, Path], tmp_path: Path) -> None:
    url, root = served
    (root / "explorer.html").write_text("<p>changed</p>")
    with pytest.raises(DownloadError, match=r"explorer.html.*sha256 mismatch"):
        download(tmp_path / "out", url + "datapackage.json")
    assert not (tmp_path / "out").exists()


def test_cli_download_and_validate_url(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    result = run("download", str(tmp_path / "out"), "--source", url + "datapackage.json")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Downloaded and verified: ")
    result = run("validate", url + "datapackage.json")
    assert result.exit_code == 0, result.output
    result = run("validate", url + VERSION_ZIP)
    assert result.exit_code == 0, result.output


def test_transient_server_errors_are_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "www"
    shutil.copytree(ROOT / "dist", root)
    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "cache"))
    failures = {"left": 2}

    class Flaky(Quiet):
        def do_GET(self) -> None:
            if self.path.endswith("datapackage.json") and failures["left"] > 0:
                failures["left"] -= 1
                self.send_error(503, "busy")
                return
            super().do_GET()

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Flaky, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/datapackage.json"
        dest = download(tmp_path / "out", url, retries=3)
        assert failures["left"] == 0
        assert package_files(dest) == package_files(ROOT / "dist")
        failures["left"] = 5
        with pytest.raises(DownloadError, match=r"HTTP 503 .*"):
            download(tmp_path / "again", url, retries=1)
    finally:
        server.shutdown()
        server.server_close()


def test_a_stalled_server_times_out_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "cache"))

    class Stalled(Quiet):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b'{"resources": [')
            self.wfile.flush()
            time.sleep(2)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stalled)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/datapackage.json"
        with pytest.raises(DownloadError, match=r"transfer failed: .*after 1 attempts"):
            download(tmp_path / "out", url, timeout=0.3, retries=0)
        assert not (tmp_path / "out").exists()
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- never lose data


def test_non_empty_foreign_folder_is_refused_and_untouched(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = served
    dest = tmp_path / "out"
    (dest / "p").mkdir(parents=True)
    (dest / "p" / "t.txt").write_text("mine")
    before = tree_digest(dest)
    result = run("download", str(dest), "--source", url + "datapackage.json")
    assert result.exit_code == 1
    assert "is not empty and holds no previous sinopak download" in result.output
    assert "Traceback" not in result.output and "Downloaded" not in result.output
    assert tree_digest(dest) == before
    assert sorted(p.name for p in dest.iterdir()) == ["p"]


def test_folder_with_only_a_hidden_file_is_refused(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = served
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / ".env").write_text("SECRET=1")
    with pytest.raises(DestinationError, match="is not empty"):
        download(dest, url + "datapackage.json")
    assert [p.name for p in dest.iterdir()] == [".env"]


def test_previous_download_is_updated_file_by_file_keeping_other_files(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    dest = download(tmp_path / "out", url + "datapackage.json")
    marker = json.loads((dest / MARKER).read_text())
    assert "csv/events.csv" in marker["files"] and "datapackage.json" in marker["files"]
    (dest / "notes.txt").write_text("my notes")
    (dest / "csv" / "mine.csv").write_text("a,b\n")
    (dest / "csv" / "events.csv").write_text("stale")  # a listed file: replaced
    # The server's new version drops a resource: the file the old download installed goes.
    descriptor = json.loads((root / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "posts-json"]
    (root / "datapackage.json").write_text(json.dumps(descriptor))
    sums = (root / "SHA256SUMS").read_text().splitlines(keepends=True)
    (root / "SHA256SUMS").write_text("".join(x for x in sums if "json/posts.json" not in x))
    download(dest, url + "datapackage.json")
    assert (dest / "notes.txt").read_text() == "my notes"
    assert (dest / "csv" / "mine.csv").read_text() == "a,b\n"
    assert (dest / "csv" / "events.csv").read_bytes() == (ROOT / "dist/csv/events.csv").read_bytes()
    assert not (dest / "json" / "posts.json").exists()
    assert "json/posts.json" not in json.loads((dest / MARKER).read_text())["files"]
    assert not [p for p in dest.rglob(".sinopak-tmp-*")]


def test_a_file_as_destination_is_refused_and_kept(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = served
    target = tmp_path / "report.txt"
    target.write_text("keep me")
    with pytest.raises(DestinationError, match="expected a folder, found a file"):
        download(target, url + "datapackage.json")
    assert target.read_text() == "keep me"
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(DestinationError, match="expected a folder, found a file"):
        download(link, url + "datapackage.json")
    assert target.read_text() == "keep me" and link.is_symlink()


@pytest.mark.parametrize("arg", [".", ".."])
def test_current_folder_or_its_parent_is_refused(
    served: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arg: str
) -> None:
    url, _ = served
    here = tmp_path / "work" / "here"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    result = run("download", arg, "--source", url + "datapackage.json")
    assert result.exit_code == 1, result.output
    assert "not the current folder" in result.output and "Traceback" not in result.output
    assert list(here.iterdir()) == [] and [p.name for p in here.parent.iterdir()] == ["here"]


def test_read_only_parent_gets_a_clear_error(served: tuple[str, Path], tmp_path: Path) -> None:
    """Root ignores permission bits: there the parent is made immutable instead, or, where the
    file system has no immutable flag (overlayfs), /sys stands in (read-only even for root)."""
    url, _ = served
    parent = tmp_path / "ro"
    parent.mkdir()
    if os.getuid() == 0:
        lock, unlock = ["chattr", "+i", str(parent)], ["chattr", "-i", str(parent)]
    else:
        lock, unlock = ["chmod", "555", str(parent)], ["chmod", "755", str(parent)]
    locked = subprocess.run(lock, capture_output=True).returncode == 0
    target = parent / "out" if locked else Path("/sys/sinopak-download-test")
    try:
        result = run("download", str(target), "--source", url + "datapackage.json")
        assert result.exit_code == 1, result.output
        assert "nothing was" in result.output and "Traceback" not in result.output
        assert "not writable" in result.output or "cannot write there" in result.output
        assert not target.exists()
        assert list(parent.iterdir()) == []
    finally:
        if locked:
            subprocess.run(unlock, check=True)


SLOW_SERVER = """
import http.server, sys, time
class Slow(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        body = open(sys.argv[1], 'rb').read() if self.path.endswith('datapackage.json') else None
        self.send_response(200)
        if body:
            self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body); return
        print('STREAMING', flush=True)
        for _ in range(120):
            self.wfile.write(b'x'); self.wfile.flush(); time.sleep(0.5)
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Slow)
print(s.server_address[1], flush=True)
s.serve_forever()
"""


def test_sigterm_leaves_no_temporary_files_and_stale_ones_are_cleaned(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", SLOW_SERVER, str(ROOT / "dist" / "datapackage.json")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    try:
        port = server.stdout.readline().strip()
        stale = tmp_path / ".sinopak-tmp-999999999-abc"  # no such pid: left by a crash
        (stale / "package").mkdir(parents=True)
        env = {**os.environ, "SINOPAK_CACHE": str(tmp_path / "cache")}
        client = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "sinopak"),
                "download",
                str(tmp_path / "out"),
                "--source",
                f"http://127.0.0.1:{port}/datapackage.json",
                "--timeout",
                "60",
            ],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert server.stdout.readline().strip() == "STREAMING"
        time.sleep(0.5)
        assert not stale.exists()  # cleaned when this run started
        assert [p.name for p in tmp_path.glob(".sinopak-tmp-*")]  # the run's own, in use
        client.send_signal(signal.SIGTERM)
        _, err = client.communicate(timeout=30)
        assert client.returncode == 143, err
        assert "Traceback" not in err
        assert sorted(p.name for p in tmp_path.iterdir()) == []
    finally:
        server.kill()
        server.wait()


# --------------------------------------------------------------------------- verify everything


def _poison(cache: Path, change: Callable[[Path], None]) -> None:
    (entry,) = [p for p in cache.iterdir() if not p.name.startswith(".")]
    change(entry / "csv" / "posts.csv")


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.write_bytes(p.read_bytes().replace(b"Defence", b"Offence", 1)),  # same size
        lambda p: p.write_bytes(p.read_bytes() + b"extra,row\n"),
        lambda p: p.unlink(),
    ],
    ids=["same-size-edit", "appended", "removed"],
)
def test_offline_rehashes_the_cache(
    served: tuple[str, Path], tmp_path: Path, change: Callable[[Path], None]
) -> None:
    url, _ = served
    download(tmp_path / "first", url + "datapackage.json")
    _poison(tmp_path / "cache", change)
    with pytest.raises(DownloadError, match=r"has changed since it was verified: .*posts"):
        download(tmp_path / "second", url + "datapackage.json", offline=True)
    assert not (tmp_path / "second").exists()


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hostile]:
    """A server on 127.0.0.1 serving dist/, with per-path misbehaviour."""
    monkeypatch.setenv("SINOPAK_CACHE", str(tmp_path / "cache"))
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    host = Hostile()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), host.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield host
    host.stop.set()
    server.shutdown()
    server.server_close()


class Hostile:
    """Behaviours by path suffix: endless, slow, early-close, redirect:<url>, big-length."""

    def __init__(self) -> None:
        self.url = ""
        self.rules: dict[str, str] = {}
        self.hits: dict[str, int] = {}
        self.stop = threading.Event()

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        host = self

        class Handler(Quiet):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(ROOT / "dist"), **kwargs)  # type: ignore[arg-type]

            def do_GET(self) -> None:
                rule = next((r for k, r in host.rules.items() if self.path.endswith(k)), "")
                host.hits[self.path] = host.hits.get(self.path, 0) + 1
                if rule.startswith("redirect:"):
                    self.send_response(302)
                    self.send_header("Location", rule.removeprefix("redirect:"))
                    self.end_headers()
                elif rule in ("endless", "slow"):
                    self.send_response(200)
                    self.end_headers()
                    with contextlib.suppress(OSError):
                        while not host.stop.is_set():
                            self.wfile.write(b"x" * (1 << 16 if rule == "endless" else 1))
                            if rule == "slow":
                                self.wfile.flush()
                                time.sleep(0.2)
                elif rule == "big-length":
                    self.send_response(200)
                    self.send_header("Content-Length", str(10**12))
                    self.end_headers()
                elif rule == "early-close" and host.hits[self.path] == 1:
                    data = (ROOT / "dist" / self.path.lstrip("/")).read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.close_connection = True
                else:
                    super().do_GET()

        return Handler


def test_endless_body_stops_at_the_declared_size(hostile: Hostile, tmp_path: Path) -> None:
    hostile.rules["csv/posts.csv"] = "endless"
    declared = json.loads((ROOT / "dist/datapackage.json").read_text())
    size = next(r["bytes"] for r in declared["resources"] if r["name"] == "posts")
    with pytest.raises(DownloadError, match=f"more than the declared {size} bytes"):
        download(tmp_path / "out", hostile.url + "datapackage.json", retries=0)
    assert not (tmp_path / "out").exists() and list(tmp_path.glob(".sinopak-*")) == []


def test_endless_descriptor_or_zip_stops_at_a_hard_cap(
    hostile: Hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sinopak import downloader

    monkeypatch.setattr(downloader, "MAX_DESCRIPTOR_BYTES", 1_000_000)
    monkeypatch.setattr(downloader, "MAX_ZIP_BYTES", 2_000_000)
    hostile.rules["datapackage.json"] = "endless"
    hostile.rules[VERSION_ZIP] = "endless"
    with pytest.raises(DownloadError, match="more than the limit of 1000000 bytes"):
        download(tmp_path / "out", hostile.url + "datapackage.json", retries=0)
    with pytest.raises(DownloadError, match="more than the limit of 2000000 bytes"):
        download(tmp_path / "out", hostile.url + VERSION_ZIP, retries=0)
    result = run("validate", hostile.url + VERSION_ZIP, "--format", "json")
    assert result.exit_code == 1 and "more than the limit" in result.output
    assert list(tmp_path.glob(".sinopak-*")) == []


def test_announced_length_over_the_declared_size_is_refused_before_reading(
    hostile: Hostile, tmp_path: Path
) -> None:
    hostile.rules["json/events.json"] = "big-length"
    with pytest.raises(DownloadError, match="announces 1000000000000 bytes; expected exactly"):
        download(tmp_path / "out", hostile.url + "datapackage.json", retries=0)


def test_a_slow_server_hits_the_whole_transfer_deadline(hostile: Hostile, tmp_path: Path) -> None:
    hostile.rules["csv/events.csv"] = "slow"  # a byte every 0.2 s: never idle for `timeout`
    start = time.monotonic()
    with pytest.raises(DownloadError, match="not finished within the deadline of 1 s"):
        download(tmp_path / "out", hostile.url + "datapackage.json", timeout=1, retries=0)
    assert time.monotonic() - start < 10
    start = time.monotonic()
    result = run("validate", hostile.url + "datapackage.json", "--timeout", "1", "--format", "json")
    assert result.exit_code == 1 and "within the deadline of 1 s" in result.output
    assert time.monotonic() - start < 15


def test_a_server_closing_early_is_retried_not_called_a_hash_mismatch(
    hostile: Hostile, tmp_path: Path
) -> None:
    hostile.rules["csv/events.csv"] = "early-close"
    dest = download(tmp_path / "out", hostile.url + "datapackage.json", retries=1)
    assert package_files(dest) == package_files(ROOT / "dist")
    assert hostile.hits["/csv/events.csv"] == 2
    hostile.hits.clear()
    with pytest.raises(DownloadError, match=r"connection closed after \d+ of \d+ bytes"):
        download(tmp_path / "again", hostile.url + "datapackage.json", retries=0)


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/x.csv", "file:///etc/passwd"])
def test_redirects_only_to_http_or_https(hostile: Hostile, tmp_path: Path, target: str) -> None:
    hostile.rules["csv/posts.csv"] = "redirect:" + target
    with pytest.raises(DownloadError, match="only http and https URLs are followed"):
        download(tmp_path / "out", hostile.url + "datapackage.json", retries=0)
    hostile.rules["datapackage.json"] = "redirect:" + target
    result = run("validate", hostile.url + "datapackage.json", "--format", "json")
    assert result.exit_code == 1 and "only http and https URLs are followed" in result.output


def test_credentials_are_never_echoed(hostile: Hostile, tmp_path: Path) -> None:
    secret = "s3cr3t-pw"
    base = hostile.url.replace("http://", f"http://alice:{secret}@")
    with pytest.raises(DownloadError) as info:
        download(tmp_path / "out", base + "nothing/datapackage.json", retries=0)
    assert "HTTP 404" in str(info.value) and secret not in str(info.value)
    assert "***@127.0.0.1" in str(info.value)
    refused = f"http://alice:{secret}@127.0.0.1:9/datapackage.json?token={secret}x"
    for args in (
        ("download", str(tmp_path / "o"), "--source", refused, "--retries", "0"),
        ("validate", refused),
        ("validate", refused, "--format", "github"),
    ):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert secret not in result.output and "alice" not in result.output, result.output
    # the credentials still work: sent as a Basic header
    dest = download(tmp_path / "ok", base + "datapackage.json")
    assert (dest / "datapackage.json").is_file()


def test_read_only_cache_does_not_abort_a_verified_download(
    served: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = served
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    monkeypatch.setenv("SINOPAK_CACHE", str(blocker / "sub"))
    with pytest.warns(UserWarning, match="was not updated"):
        dest = download(tmp_path / "out", url + "datapackage.json")
    assert package_files(dest) == package_files(ROOT / "dist")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["resources"][1].update(name=d["resources"][0]["name"]), "appears twice"),
        (
            lambda d: d["resources"][0].update(bytes=str(d["resources"][0]["bytes"])),
            "expected bytes to be a whole number, found '",
        ),
        (lambda d: d["resources"][0].update(path=MARKER), "is not a relative path inside"),
        (lambda d: d["resources"][0].pop("hash"), "expected hash sha256:<64 hex digits>"),
    ],
    ids=["duplicate-name", "bytes-as-string", "path-is-the-marker", "no-hash"],
)
def test_descriptor_defects_are_refused_before_fetching(
    served: tuple[str, Path],
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    url, root = served
    data = json.loads((root / "datapackage.json").read_text())
    change(data)
    (root / "datapackage.json").write_text(json.dumps(data))
    with pytest.raises(DownloadError, match=re.escape(message)):
        download(tmp_path / "out", url + "datapackage.json", retries=0)
    assert not (tmp_path / "out").exists()


def test_descriptor_with_duplicate_keys_or_deep_nesting_is_refused(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    raw = (root / "datapackage.json").read_text()
    (root / "datapackage.json").write_text(raw.replace('{\n  "', '{\n  "name": "x",\n  "', 1))
    with pytest.raises(DownloadError, match="key 'name' appears twice"):
        download(tmp_path / "out", url + "datapackage.json", retries=0)
    (root / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(DownloadError, match="nested more than 64 levels"):
        download(tmp_path / "out", url + "datapackage.json", retries=0)
