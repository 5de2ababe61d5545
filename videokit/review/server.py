"""The review editor's local web server (Starlette on uvicorn). It is a server, so it is treated like one:

- it listens on 127.0.0.1 only, and every request must carry the random token of the printed address (query
  `token=` or header `X-Videokit-Token`, compared in constant time);
- requests whose Host is not 127.0.0.1/localhost are refused (DNS rebinding);
- it serves only files directly inside the output folder (no `..`, no sub-folders, no symlink leading out), with
  HTTP range requests so the video seeks;
- it writes only the caption, chapter and job files, atomically, after validating the request (size-limited JSON;
  a malformed save is refused with a message and nothing on disk changes).
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from videokit.errors import VideokitError
from videokit.review.page import render_page
from videokit.review.payload import page_data
from videokit.review.project import (
    Project,
    chapters_file,
    find_project,
    save_chapters,
    save_corrections,
    save_speaker_fixes,
    validate_chapters,
    validate_cues,
    validate_speakers,
)
from videokit.templates import load_template
from videokit.textfile import read_toml

ALLOWED_HOSTS = {"127.0.0.1", "localhost"}
MAX_BODY = 4 * 1024 * 1024  # bytes: a 3-hour episode's captions are well under 1 MB
TOKEN_HEADER = "x-videokit-token"


@dataclass
class RenderState:
    """The "render again" job the page watches."""

    status: str = "idle"  # idle, running, done, failed
    progress: float = 0.0
    message: str = ""
    started: float = 0.0
    outputs: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Guard(BaseHTTPMiddleware):
    """Host check first (a rebinding page never learns anything), then the token."""

    def __init__(self, app: Any, token: str) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: Any) -> Response:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
        if host not in ALLOWED_HOSTS:
            return PlainTextResponse("forbidden host", status_code=403)
        given = request.query_params.get("token") or request.headers.get(TOKEN_HEADER) or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return PlainTextResponse("a valid token is required (use the address videokit printed)", status_code=403)
        return await call_next(request)


def create_app(project: Project, token: str, glossary: list[str] | None = None) -> Starlette:
    state = RenderState()

    async def page(request: Request) -> Response:
        return HTMLResponse(render_page(project.name, token))

    async def data(request: Request) -> Response:
        job = read_toml(project.job_file)
        videos = [p.name for p in project.videos()]
        chapters = chapters_file(project)
        return JSONResponse(page_data(
            project, str(job.get("title", project.name)), load_template(job.get("template")).horizontal_captions,
            videos[0] if videos else None, glossary or [],
            chapters.read_text(encoding="utf-8") if chapters else None))

    async def media(request: Request) -> Response:
        path = safe_file(project.folder, request.path_params["name"])
        if path is None or path.suffix.lower() not in (".mp4", ".srt", ".vtt"):
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path)  # answers Range requests with 206: the video seeks

    async def save(request: Request) -> Response:
        try:
            body = await read_json(request)
            payload = body.get("cues") if isinstance(body, dict) else None
            cues = validate_cues(payload, project.intro)
            speakers = validate_speakers(payload, project)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        written = save_corrections(project, cues)
        if speakers is not None:
            written += save_speaker_fixes(project, cues, speakers)
        return JSONResponse({"saved": [p.name for p in written]})

    async def chapters(request: Request) -> Response:
        if chapters_file(project) is None:
            return JSONResponse({"error": "this job has no chapters"}, status_code=404)
        try:
            body = await read_json(request)
            text = validate_chapters(body.get("text") if isinstance(body, dict) else None)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"saved": [p.name for p in save_chapters(project, text)]})

    async def wrap(request: Request) -> Response:
        from videokit.captions.segment import wrap_lines

        try:
            body = await read_json(request)
            text = body.get("text") if isinstance(body, dict) else None
            if not isinstance(text, str) or not text.strip() or len(text) > 2000:
                raise ValueError("text must be 1-2000 characters")
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        style = load_template(read_toml(project.job_file).get("template")).horizontal_captions
        lines = wrap_lines(text.split(), style, strict=False) or [text]
        return JSONResponse({"text": "\n".join(lines)})

    async def render(request: Request) -> Response:
        with state.lock:
            if state.status == "running":
                return JSONResponse({"error": "a render is already running"}, status_code=409)
            state.status, state.progress, state.message, state.started = "running", 0.0, "", time.time()
        threading.Thread(target=_render_again, args=(project, state), daemon=True).start()
        return JSONResponse({"status": "running"})

    async def render_status(request: Request) -> Response:
        return JSONResponse({"status": state.status, "progress": round(state.progress, 3), "message": state.message,
                             "seconds": round(time.time() - state.started, 1) if state.started else 0,
                             "outputs": state.outputs})

    routes = [
        Route("/", page), Route("/api/project", data), Route("/media/{name}", media),
        Route("/api/save", save, methods=["POST"]), Route("/api/wrap", wrap, methods=["POST"]),
        Route("/api/chapters", chapters, methods=["POST"]),
        Route("/api/render", render, methods=["POST"]), Route("/api/render", render_status, methods=["GET"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(Guard, token=token)])


def safe_file(folder: Path, name: str) -> Path | None:
    """A file directly inside `folder` whose real path stays inside it; None otherwise."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    root = folder.resolve()
    path = (folder / name)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real.parent != root or not real.is_file():
        return None
    return real


async def read_json(request: Request) -> Any:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise ValueError(f"request too large (at most {MAX_BODY // 1024} kB)")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise ValueError(f"request too large (at most {MAX_BODY // 1024} kB)")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON ({exc})") from None


def _render_again(project: Project, state: RenderState) -> None:
    """The recorded job with the corrected captions, as `videokit render <name>.job.toml --force` would."""
    from videokit.jobfiles import run_job_file
    from videokit.render.run import progress_listener

    def on_progress(fraction: float) -> None:
        state.progress = fraction

    token = progress_listener.set(on_progress)
    try:
        state.outputs = sorted({p.name for p in run_job_file(project.job_file, force=True)})
        state.status, state.progress = "done", 1.0
    except VideokitError as exc:
        state.status, state.message = "failed", exc.message
    except Exception as exc:  # shown on the page; the server keeps running
        state.status, state.message = "failed", f"{type(exc).__name__}: {exc}"
    finally:
        progress_listener.reset(token)
        refreshed = find_project(project.job_file.parent / f"{project.name}.job.toml")
        project.cues, project.words, project.intro = refreshed.cues, refreshed.words, refreshed.intro
        project.speakers = refreshed.speakers


def new_token() -> str:
    return secrets.token_urlsafe(24)


def build_server(target: Path, port: int = 0, glossary: list[str] | None = None) -> tuple[Any, Any, str, Project]:
    """The uvicorn server on its bound socket (127.0.0.1 only) and the address with the token."""
    import socket

    import uvicorn

    project = find_project(target)
    token = new_token()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise VideokitError(f"port {port} on 127.0.0.1 is not free ({exc.strerror}); choose another with --port") from None
    sock.listen(128)  # connections wait from the moment the address is printed
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/?token={token}"
    config = uvicorn.Config(create_app(project, token, glossary), log_level="warning", access_log=False)
    return uvicorn.Server(config), sock, url, project


def serve(target: Path, port: int = 0, open_browser: bool = True, glossary: list[str] | None = None,
          echo: Any = print) -> None:
    """Start the editor, print its address (with the token) first, open the browser; Ctrl+C stops it."""
    server, sock, url, project = build_server(target, port, glossary)
    echo(url)
    echo(f"reviewing {project.name} in {project.folder} (Ctrl+C stops)")
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])
