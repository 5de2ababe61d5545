"""The review editor's local web server (Starlette on uvicorn). It is a server, so it is treated like one:

- it listens on 127.0.0.1 only, and every request must carry the random token of the printed address (query
  `token=` or header `X-Videokit-Token`, compared in constant time);
- requests whose Host is not 127.0.0.1/localhost are refused (DNS rebinding);
- it serves only files directly inside the output folder (no `..`, no sub-folders, no symlink leading out), with
  HTTP range requests so the video seeks;
- it writes only the caption, chapter, cuts and job files, all of a save or none (videokit.filetxn), after validating
  the whole request (size-limited JSON, finite times inside the video, no control characters or timing lines in a
  cue); a bad request is a 400 with the message the page shows, and nothing on disk changes;
- a POST must be JSON and, from a browser, from this origin; the page carries a CSP with a nonce, is never framed
  and never cached; the browser is opened with a one-time code that becomes an HttpOnly cookie, so the token does
  not show in the browser's command line.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from videokit.errors import VideokitError
from videokit.review.faces import faces_for_page, save_faces, validate_faces
from videokit.review.glossary import unknown_words
from videokit.review.cutting import cuts_for_page, save_cuts, suggested_cuts, validate_strikes
from videokit.review.page import render_page
from videokit.review.payload import page_data
from videokit.review.project import (
    Project,
    chapters_file,
    episode_duration,
    find_project,
    save_chapters,
    save_corrections,
    validate_chapters,
    validate_cues,
    validate_speakers,
)
from videokit.job import with_caption_profile
from videokit.templates import load_template
from videokit.textfile import read_toml

ALLOWED_HOSTS = {"127.0.0.1", "localhost"}
MAX_BODY = 4 * 1024 * 1024  # bytes: a 3-hour episode's captions are well under 1 MB
TOKEN_HEADER = "x-videokit-token"
COOKIE = "videokit_token"
LOGIN = "/login"
# the page runs only its own script (a nonce per response), fetches only from this server, is never framed
CSP = ("default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
       "media-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
RENDER_RUNNING = ("a render is running: your edits stay in this browser; save them when it has finished "
                  "(the render would otherwise write back what it read before your save)")


@dataclass
class RenderState:
    """The "render again" job the page watches."""

    status: str = "idle"  # idle, running, done, failed
    progress: float = 0.0
    message: str = ""
    started: float = 0.0
    outputs: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None


@dataclass
class Access:
    """The token, and the one-time code the browser is opened with (a URL with the token would show in `ps`)."""

    token: str
    code: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    code_used: bool = False


class Guard(BaseHTTPMiddleware):
    """Host check first (a rebinding page never learns anything), then the token (query, header or the cookie the
    one-time code set); a POST must be JSON from this origin (no form or text/plain CSRF)."""

    def __init__(self, app: Any, access: Access) -> None:
        super().__init__(app)
        self.access = access

    async def dispatch(self, request: Request, call_next: Any) -> Response:
        host_header = request.headers.get("host") or ""
        host = host_header.rsplit(":", 1)[0].strip("[]")
        if host not in ALLOWED_HOSTS:
            return PlainTextResponse("forbidden host", status_code=403)
        if request.url.path == LOGIN:
            return self.login(request)
        given = (request.query_params.get("token") or request.headers.get(TOKEN_HEADER)
                 or request.cookies.get(COOKIE) or "")
        if not hmac.compare_digest(given.encode(), self.access.token.encode()):
            return PlainTextResponse("a valid token is required (use the address videokit printed)", status_code=403)
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin is not None and origin != f"http://{host_header}":
                return JSONResponse({"error": f"requests from {origin[:80]} are not accepted"}, status_code=403)
            if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
                return JSONResponse({"error": "send JSON (Content-Type: application/json)"}, status_code=415)
        response = await call_next(request)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def login(self, request: Request) -> Response:
        """The one-time code → an HttpOnly, same-site cookie holding the token; the code is spent."""
        code = request.query_params.get("code") or ""
        if self.access.code_used or not hmac.compare_digest(code.encode(), self.access.code.encode()):
            return PlainTextResponse("this sign-in link was used already: open the address videokit printed",
                                     status_code=403)
        self.access.code_used = True
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, self.access.token, httponly=True, samesite="strict", path="/")
        response.headers["Cache-Control"] = "no-store"
        return response


# what "Neu rendern" runs: the recorded job file again, returning the outputs written. The review command passes
# it in (commands/review.py), so the editor stands below the commands that render and never imports them.
RenderAgain = Callable[[Path], list[Path]]


def create_app(project: Project, token: str | Access, rerender: RenderAgain,
               glossary: list[str] | None = None) -> Starlette:
    access = token if isinstance(token, Access) else Access(token)
    state = RenderState()
    found: dict[str, Any] = {}  # the machine's filler and retake suggestions and unknown words, once per render

    async def page(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        return HTMLResponse(render_page(project.name, access.token, nonce=nonce),
                            headers={"Content-Security-Policy": CSP.format(nonce=nonce)})

    async def data(request: Request) -> Response:
        job = read_toml(project.job_file)
        videos = [p.name for p in project.videos()]
        chapters = chapters_file(project)
        shown = page_data(
            project, str(job.get("title", project.name)), _caption_style(job),
            videos[0] if videos else None, glossary or [],
            chapters.read_text(encoding="utf-8") if chapters else None)
        shown["can_cut"], shown["removed"] = bool(project.pieces), cuts_for_page(project)
        shown["faces"] = faces_for_page(project)
        return JSONResponse(shown)

    async def faces(request: Request) -> Response:
        body = await read_json(request)
        if state.status == "running":
            return JSONResponse({"error": RENDER_RUNNING}, status_code=409)
        if faces_for_page(project) is None:
            return JSONResponse({"error": "this render blurred no faces: render it with --blur-faces first"},
                                status_code=404)
        change = validate_faces(body, project, project_duration(project))
        return JSONResponse({"saved": [p.name for p in save_faces(project, change)]})

    async def fillers(request: Request) -> Response:
        if "fillers" not in found:  # one listen per render: the next render clears it
            found["fillers"] = await run_in_threadpool(suggested_cuts, project)
        return JSONResponse({"fillers": found["fillers"]})

    async def names(request: Request) -> Response:
        if "names" not in found:  # the dictionary's verdict on every word, once per render
            found["names"] = await run_in_threadpool(unknown_words, [w.text for w in project.words], glossary or [])
        return JSONResponse({"unknown": found["names"]})

    async def cuts(request: Request) -> Response:
        body = await read_json(request)
        if state.status == "running":
            return JSONResponse({"error": RENDER_RUNNING}, status_code=409)
        ranges, restore = validate_strikes(body, project, project_duration(project))
        written, note = save_cuts(project, ranges, restore)
        return JSONResponse({"saved": [p.name for p in written], "note": note})

    async def media(request: Request) -> Response:
        path = safe_file(project.folder, request.path_params["name"])
        if path is None or path.suffix.lower() not in (".mp4", ".srt", ".vtt"):
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path)  # answers Range requests with 206: the video seeks

    async def save(request: Request) -> Response:
        body = await read_json(request)
        if state.status == "running":
            return JSONResponse({"error": RENDER_RUNNING}, status_code=409)
        payload = body.get("cues") if isinstance(body, dict) else None
        cues = validate_cues(payload, project.intro, project_duration(project))
        speakers = validate_speakers(payload, project)
        written = save_corrections(project, cues, speakers)
        return JSONResponse({"saved": [p.name for p in written]})

    async def chapters(request: Request) -> Response:
        if chapters_file(project) is None:
            return JSONResponse({"error": "this job has no chapters"}, status_code=404)
        body = await read_json(request)
        if state.status == "running":
            return JSONResponse({"error": RENDER_RUNNING}, status_code=409)
        text = validate_chapters(body.get("text") if isinstance(body, dict) else None, episode_duration(project))
        return JSONResponse({"saved": [p.name for p in save_chapters(project, text)]})

    async def wrap(request: Request) -> Response:
        from videokit.captions.segment import wrap_lines

        body = await read_json(request)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip() or len(text) > 2000:
            raise ValueError("text must be 1-2000 characters")
        style = _caption_style(read_toml(project.job_file))
        lines = wrap_lines(text.split(), style, strict=False) or [text]
        return JSONResponse({"text": "\n".join(lines)})

    async def render(request: Request) -> Response:
        with state.lock:
            if state.status == "running":
                return JSONResponse({"error": "a render is already running"}, status_code=409)
            read_toml(project.job_file)  # a broken job file is a message on the page, not a failed thread
            state.status, state.progress, state.message, state.started = "running", 0.0, "", time.time()
            found.clear()
            state.thread = threading.Thread(target=_render_again, args=(project, state, rerender), daemon=True)
            state.thread.start()
        return JSONResponse({"status": "running"})

    async def render_status(request: Request) -> Response:
        return JSONResponse({"status": state.status, "progress": round(state.progress, 3), "message": state.message,
                             "seconds": round(time.time() - state.started, 1) if state.started else 0,
                             "outputs": state.outputs})

    async def refused(request: Request, exc: Exception) -> Response:
        message = exc.message if isinstance(exc, VideokitError) else str(exc)
        return JSONResponse({"error": message}, status_code=400)

    routes = [
        Route("/", page), Route("/api/project", data), Route("/media/{name}", media),
        Route("/api/save", save, methods=["POST"]), Route("/api/wrap", wrap, methods=["POST"]),
        Route("/api/chapters", chapters, methods=["POST"]),
        Route("/api/cuts", cuts, methods=["POST"]), Route("/api/faces", faces, methods=["POST"]), Route("/api/fillers", fillers), Route("/api/names", names),
        Route("/api/render", render, methods=["POST"]), Route("/api/render", render_status, methods=["GET"]),
    ]
    # a bad request (ValueError from validation, VideokitError from a file) is a 400 with the message the page shows
    app = Starlette(routes=routes, middleware=[Middleware(Guard, access=access)],
                    exception_handlers={ValueError: refused, VideokitError: refused})
    app.state.render = state
    app.state.access = access
    return app


def _caption_style(job: dict[str, Any]) -> Any:
    """The job's horizontal caption style as it renders: its template made to its caption profile."""
    profile = job.get("caption_profile")
    template = with_caption_profile(load_template(job.get("template")), profile if isinstance(profile, str) else None)
    return template.horizontal_captions


def project_duration(project: Project) -> float | None:
    """The longest a cue may reach: the episode's video (probed once), None when there is none."""
    videos = project.videos()
    if not videos:
        return None
    from videokit.probe import probe

    try:
        return probe(videos[0]).duration
    except VideokitError:
        return None


def safe_file(folder: Path, name: str) -> Path | None:
    """A file directly inside `folder` whose real path stays inside it; None otherwise."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return None
    root = folder.resolve()
    path = (folder / name)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if real.parent != root or not real.is_file():
        return None
    return real


async def read_json(request: Request) -> Any:
    """The request body as JSON; ValueError (a 400) for anything else: too large, not UTF-8, not JSON, NaN or
    Infinity (Python's json takes them), nested deeper than a caption list ever is."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise ValueError(f"request too large (at most {MAX_BODY // 1024} kB)")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise ValueError(f"request too large (at most {MAX_BODY // 1024} kB)")
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("not JSON the editor sends (nested too deeply)") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"not JSON ({str(exc)[:120]})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _render_again(project: Project, state: RenderState, rerender: RenderAgain) -> None:
    """The recorded job with the corrected captions, as `videokit render <name>.job.toml --force` would."""
    from videokit.render.run import progress_listener

    def on_progress(fraction: float) -> None:
        state.progress = fraction

    token = progress_listener.set(on_progress)
    try:
        state.outputs = sorted({p.name for p in rerender(project.job_file)})
        state.status, state.progress = "done", 1.0
    except VideokitError as exc:
        state.status, state.message = "failed", exc.message
    except Exception as exc:  # shown on the page; the server keeps running
        state.status, state.message = "failed", f"{type(exc).__name__}: {exc}"
    except KeyboardInterrupt:  # the editor was stopped (Ctrl+C, a signal): the render stops with it, cleaned up
        state.status, state.message = "failed", "stopped with the editor"
    finally:
        progress_listener.reset(token)
        try:
            refreshed = find_project(project.job_file.parent / f"{project.name}.job.toml")
            project.cues, project.words, project.intro = refreshed.cues, refreshed.words, refreshed.intro
            project.speakers, project.pieces = refreshed.speakers, refreshed.pieces
        except VideokitError as exc:
            state.status, state.message = "failed", exc.message


def new_token() -> str:
    return secrets.token_urlsafe(24)


def build_server(target: Path, rerender: RenderAgain, port: int = 0,
                 glossary: list[str] | None = None) -> tuple[Any, Any, str, Project]:
    """The uvicorn server on its bound socket (127.0.0.1 only) and the address with the token."""
    import socket

    import uvicorn

    project = find_project(target)
    access = Access(new_token())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise VideokitError(f"port {port} on 127.0.0.1 is not free ({exc.strerror}); choose another with --port") from None
    sock.listen(128)  # connections wait from the moment the address is printed
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/?token={access.token}"
    config = uvicorn.Config(create_app(project, access, rerender, glossary), log_level="warning", access_log=False)
    return uvicorn.Server(config), sock, url, project


def login_url(url: str, server: Any) -> str:
    """The address the browser is opened with: a one-time code instead of the token (a browser's command line is
    visible to every local user in `ps`; the code is worthless once the browser has used it)."""
    access: Access = server.config.app.state.access
    return url.split("?", 1)[0].rstrip("/") + f"{LOGIN}?code={access.code}"


def serve(target: Path, rerender: RenderAgain, port: int = 0, open_browser: bool = True,
          glossary: list[str] | None = None, echo: Any = print) -> None:
    """Start the editor, print its address (with the token) first, open the browser; Ctrl+C stops it, and a
    render it started stops with it (its ffmpeg processes and temp files included)."""
    from videokit.interrupt import stop_children

    server, sock, url, project = build_server(target, rerender, port, glossary)
    echo(url)
    echo(f"reviewing {project.name} in {project.folder} (Ctrl+C stops)")
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(login_url(url, server),)).start()
    try:
        server.run(sockets=[sock])
    finally:
        state: RenderState = server.config.app.state.render
        if state.thread is not None and state.thread.is_alive():
            stop_children()  # the render's ffmpeg ends now; its thread then removes its temp files
            state.thread.join(timeout=30)
