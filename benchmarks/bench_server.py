"""Time `ccus-records server` as an editor uses it (not run by the tests).

    python benchmarks/bench_server.py [--records 2000] [--changes 200] [--debounce 0] [--keep DIR]
                                      [--field title|id] [--no-watch]

Builds a generated corpus of N records (benchmarks/generate.py), starts the server over stdio, opens one
record and makes `--changes` one-character edits to its title (typing a character, then deleting it), each
sent as an incremental change; the latency of an edit is the time from sending it to the diagnostics of
that version arriving. The debounce is set to `--debounce` seconds (default 0, so that the figure is the
lint itself; an editor with the default setting waits 0.3 s more). Prints the median and p95 latency, the
server's resident memory (now and at its peak), and, for comparison, the median time of one
`ccus-records lint FILE` process on the same record with a warm cache. The client plays an editor that
reports changes to files on disk (as VS Code does); with `--no-watch`, one that does not, so that the
server compares the corpus with the disk itself every few seconds. With `--field id` the edits are made to
the record's id instead, so that each changes what the cross-record rules see.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_corpus  # noqa: E402


class Wire:
    """A bare JSON-RPC client on the server's pipes (no client library: nothing but the server is timed)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.next_id = 0

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        """The next message from the server; its requests are answered as an editor answers them (the
        registration of watched files accepted, no settings)."""
        while True:
            message = self.read()
            if "method" in message and "id" in message:
                items = (message.get("params") or {}).get("items", [])
                answer = [None] * len(items) if message["method"] == "workspace/configuration" else None
                self.send({"id": message["id"], "result": answer})
                continue
            return message

    def read(self) -> dict[str, Any]:
        stream = self.process.stdout
        assert stream is not None
        length = 0
        while True:
            line = stream.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return dict(json.loads(stream.read(length)))

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == wanted and "method" not in message:
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str, version: int) -> list[Any]:
        while True:
            message = self.receive()
            if message.get("method") != "textDocument/publishDiagnostics":
                continue
            params = message["params"]
            if params["uri"] == uri and params.get("version") == version:
                return list(params["diagnostics"])


def memory(pid: int) -> tuple[int, int]:
    """The process's resident memory now and at its peak, in MiB (Linux)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) // 1024
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def lint_process_time(folder: Path, path: Path, repeat: int) -> float:
    command = [sys.executable, "-m", "ccus_records", "lint", str(path), "--exit-zero"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(command, cwd=folder, env=env, capture_output=True, check=True)  # warms the cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=folder, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(
    folder: Path, records: int, changes: int, debounce: float, watched: bool = True, field: str = "title"
) -> dict[str, Any]:
    (folder / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    paths = generate_corpus(folder / "records", records)
    target = next(path for path in paths if path.read_text(encoding="utf-8").startswith("---\n{"))
    text = target.read_text(encoding="utf-8")
    lines = text.split("\n")
    title_line = next(index for index, line in enumerate(lines) if line.startswith(f'  "{field}": '))
    end = len(lines[title_line]) - 2  # before the closing quote and comma
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "ccus_records", "server"],
        cwd=folder,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    wire = Wire(process)
    uri = target.as_uri()
    try:
        wire.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": folder.as_uri(),
                "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watched}}},
                "initializationOptions": {"debounce": debounce},
            },
        )
        wire.notify("initialized", {})
        start = time.perf_counter()
        wire.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}
        )
        first = wire.diagnostics(uri, 1)
        open_time = time.perf_counter() - start
        latencies = []
        for version in range(2, changes + 2):
            at = {"line": title_line, "character": end}
            if version % 2 == 0:
                change = {"range": {"start": at, "end": at}, "text": "x"}
            else:
                after = {"line": title_line, "character": end + 1}
                change = {"range": {"start": at, "end": after}, "text": ""}
            start = time.perf_counter()
            wire.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            wire.diagnostics(uri, version)
            latencies.append(time.perf_counter() - start)
        rss, peak = memory(process.pid)
        wire.request("shutdown", None)
        wire.notify("exit", None)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    latencies.sort()
    return {
        "records": records,
        "changes": changes,
        "debounce_s": debounce,
        "editor_watches_files": watched,
        "field_edited": field,
        "diagnostics_on_open": len(first),
        "open_s": round(open_time, 4),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "rss_mib": rss,
        "peak_rss_mib": peak,
        "lint_process_warm_ms": round(lint_process_time(folder, target, 5) * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[2000])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--debounce", type=float, default=0.0)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument(
        "--field",
        choices=["title", "id"],
        default="title",
        help="the field edited: its title, or its id (which the cross-record rules then check again each time)",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="play an editor that reports no file events (the server then compares the corpus with the disk itself)",
    )
    options = parser.parse_args()
    results = []
    settings = (options.changes, options.debounce, not options.no_watch, options.field)
    for count in options.records:
        if options.keep is not None:
            folder = options.keep / f"server-{count}"
            folder.mkdir(parents=True, exist_ok=True)
            results.append(bench(folder, count, *settings))
        else:
            with tempfile.TemporaryDirectory() as temporary:
                results.append(bench(Path(temporary), count, *settings))
        print(json.dumps(results[-1]), flush=True)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_server.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
