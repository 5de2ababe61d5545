"""The camera path of --fit auto on hand-made detections (pure; no ffmpeg)."""

from __future__ import annotations

import pytest

from videokit.reframe.expression import output_keys, ramp_sum
from videokit.render.streams import path_pieces
from videokit.reframe.path import DEAD_ZONE, MAX_SPEED, Box, Sample, plan_path, window_at

WINDOW = 0.316  # 9:16 of the height of a 16:9 picture
FPS = 5


def _samples(positions: list[list[float]], start: float = 0.0, kind: str = "face") -> list[Sample]:
    return [Sample(round(start + i / FPS, 3), [Box(x, 0.06, 0.9, kind) for x in xs]) for i, xs in enumerate(positions)]


def _inside(x_face: float, left: float) -> bool:
    return left <= x_face - 0.03 and x_face + 0.03 <= left + WINDOW


def test_holds_still_for_small_moves_and_pans_with_a_speed_limit() -> None:
    # the face wobbles around 0.5 for 4 s, then walks to 0.8 over 2 s, then stays
    xs = [0.5 + 0.02 * ((i % 4) - 1.5) for i in range(20)] + [0.5 + 0.3 * i / 10 for i in range(10)] + [0.8] * 20
    shots = plan_path(_samples([[x] for x in xs]), [], 10.0, WINDOW)
    assert [s.mode for s in shots] == ["crop"]
    lefts = [window_at(shots, i / 30)[1] for i in range(300)]
    # holds still while the subject wobbles; eases into the walk at most EASE / 2 before it leaves the dead zone
    assert len(set(round(x, 4) for x in lefts[:90])) == 1
    steps = [abs(b - a) for a, b in zip(lefts, lefts[1:])]
    assert max(steps) <= MAX_SPEED * WINDOW / 30 + 1e-6  # never faster than the limit: no jitter, no whip pan
    assert _inside(0.8, lefts[-1])  # caught up
    assert abs((lefts[-1] + WINDOW / 2) - 0.8) <= DEAD_ZONE * WINDOW  # and roughly centred
    assert len(shots[0].keys) < 30  # holds and eased pans are a few keys, not one per frame


def test_jumps_at_a_cut_and_falls_back_to_the_fill_without_a_face() -> None:
    first = _samples([[0.2]] * 15)  # 0-3 s: face on the left
    second = _samples([[0.85]] * 15, start=3.0)  # 3-6 s: after the cut, face on the right
    empty = [Sample(round(6.0 + i / FPS, 3)) for i in range(15)]  # 6-9 s: nobody
    shots = plan_path(first + second + empty, [3.0, 6.0], 9.0, WINDOW)
    assert [s.mode for s in shots] == ["crop", "crop", "fill"]
    assert _inside(0.2, window_at(shots, 2.9)[1]) and _inside(0.85, window_at(shots, 3.0)[1])  # a jump, no pan
    assert shots[2].reason == "no face or person"


def test_two_people_kept_together_when_they_fit_else_one_followed() -> None:
    close = plan_path(_samples([[0.45, 0.58]] * 20), [], 4.0, WINDOW)
    left = window_at(close, 2.0)[1]
    assert _inside(0.45, left) and _inside(0.58, left)
    apart = plan_path(_samples([[0.15, 0.7 + 0.01 * (i % 2)] for i in range(40)]), [], 8.0, WINDOW)
    lefts = [window_at(apart, t / 10)[1] for t in range(80)]
    assert max(lefts) - min(lefts) < 0.05  # follows one of them: no switching back and forth
    # three people spread wider than the window: the whole picture
    group = plan_path(_samples([[0.1, 0.5, 0.9]] * 20), [], 4.0, WINDOW)
    assert group[0].mode == "fill" and "group" in group[0].reason


def test_a_person_is_followed_when_no_face_is_seen() -> None:
    shots = plan_path(_samples([[0.7]] * 20, kind="person"), [], 4.0, WINDOW)
    assert shots[0].mode == "crop" and _inside(0.7, window_at(shots, 2.0)[1])


def test_path_becomes_a_flat_ffmpeg_expression_on_output_time() -> None:
    shots = [{"start": 0.0, "end": 4.0, "mode": "crop", "keys": [[0.0, 0.1], [1.0, 0.1], [2.0, 0.3], [4.0, 0.3]]},
             {"start": 4.0, "end": 6.0, "mode": "fill", "keys": []},
             {"start": 6.0, "end": 8.0, "mode": "crop", "keys": [[6.0, 0.6], [8.0, 0.6]]}]
    keys, spans = output_keys(shots, None)
    assert spans == [(0.0, 4.0), (6.0, 8.0)]
    expr = ramp_sum(keys, 1920)
    assert expr.startswith("192.0") and "clip((t-1.0000)/1.0000,0,1)" in expr and "gte(t,6.0000)" in expr
    assert "if(" not in expr  # flat: no nesting however long the path
    # the picture is cut at the spans' edges, each piece computing only its own picture; the last runs to the end
    assert path_pieces(spans, 10.0) == [(0.0, 4.0, True), (4.0, 6.0, False), (6.0, 8.0, True), (8.0, None, False)]
    assert path_pieces([(0.0, 10.0)], 10.0) == [(0.0, None, True)]
    assert path_pieces([(2.0, 10.0)], 10.0) == [(0.0, 2.0, False), (2.0, None, True)]
    # a piece too short to hold a frame is taken by its neighbours (and two crops around it become one)
    assert path_pieces([(0.0, 4.0), (4.05, 8.0)], 8.0) == [(0.0, None, True)]
    assert path_pieces([(0.05, 8.0)], 9.0) == [(0.0, 8.0, True), (8.0, None, False)]
    # with the podcast's cuts: only 1-2 s and 5-7 s are kept, so output time 0-1 is source 1-2, 1-2 is 6-7
    keys, spans = output_keys(shots, [(1.0, 2.0), (5.0, 7.0)])
    assert spans == [(0.0, 1.0), (2.0, 3.0)]
    assert keys[0] == (0.0, 0.1) and keys[1] == pytest.approx((1.0, 0.3))


def test_a_pan_eases_in_and_never_snaps() -> None:
    """A face stands 4.4 s, then walks right at 210 px/s (source px of a 1920 px picture): the camera starts early,
    eases in, never moves more than 40 px per 3 frames, changes speed by at most a quarter of the subject's speed
    per 3 frames, and the face stays whole in the window in every frame."""
    speed = 210 / 1920  # picture widths per second

    def x_at(t: float) -> float:  # stands, walks 5 s, stands again
        return 0.2 + speed * min(max(t - 4.4, 0.0), 5.0)

    shots = plan_path(_samples([[x_at(i / FPS)] for i in range(60)]), [], 12.0, WINDOW)
    frames = [i / 30 for i in range(360)]
    lefts = [window_at(shots, t)[1] * 1920 for t in frames]
    moves = [lefts[k + 3] - lefts[k] for k in range(0, len(lefts) - 3, 3)]
    subject_per_3 = 210 * 3 / 30
    assert max(abs(m) for m in moves) <= min(40, 1.5 * subject_per_3)  # a little faster than the subject at most
    assert moves[int(4.4 * 10) - 1] > 0  # it started before the subject left the dead zone: the planner sees ahead
    assert max(abs(b - a) for a, b in zip(moves, moves[1:])) <= 0.25 * subject_per_3
    for t, left in zip(frames, lefts):
        x = x_at(t) * 1920
        assert left <= x - 0.03 * 1920 and x + 0.03 * 1920 <= left + WINDOW * 1920, t


def test_key_frames_need_the_frames_between_only_where_the_picture_changed() -> None:
    """Pure: which spans between two key frames the analysis decodes frame by frame."""
    import numpy as np

    from videokit.reframe.analyse import CHANGE, MOVE, _changed, _merge

    still, other = np.zeros((18, 32), np.float32), np.full((18, 32), CHANGE + 1, np.float32)
    face = Sample(0.0, [Box(0.3, 0.05)])
    assert not _changed(face, Sample(1.0, [Box(0.3 + MOVE / 2, 0.05)]), still, still)  # stood still
    assert _changed(face, Sample(1.0, [Box(0.3 + 2 * MOVE, 0.05)]), still, still)  # walked
    assert _changed(face, Sample(1.0, []), still, still)  # left the picture
    assert _changed(face, Sample(1.0, [Box(0.3, 0.05), Box(0.7, 0.05)]), still, still)  # someone came
    assert _changed(face, Sample(1.0, [Box(0.3, 0.05)]), still, other)  # a cut may lie between
    person = Sample(0.0, [Box(0.5, 0.1, 0.6, "person")])
    assert not _changed(person, Sample(1.0, []), still, still)  # HOG flickers: no person alone decides
    assert _changed(person, Sample(1.0, [Box(0.5 + 2 * MOVE, 0.1, 0.6, "person")]), still, still)
    assert _merge([(3.0, 4.0), (0.0, 1.0), (1.0, 2.0), (3.5, 5.0)]) == [(0.0, 2.0), (3.0, 5.0)]


def test_key_frame_spans_cover_the_clip_once_and_are_never_short() -> None:
    from videokit.reframe.analyse import KEY_SPAN, _spans

    assert _spans(0.0, 10.0, 2) == [(0.0, 10.0)]  # shorter than two spans: one decoder
    assert _spans(1.5, 30.0, 2) == [(1.5, 15.0), (16.5, 15.0)]
    assert _spans(0.0, 100.0, 1) == [(0.0, 100.0)]
    spans = _spans(2.25, 61.7, 4)
    assert len(spans) == 4 and min(d for _, d in spans) >= KEY_SPAN
    assert spans[0][0] == 2.25 and round(spans[-1][0] + spans[-1][1], 3) == round(2.25 + 61.7, 3)
    assert all(round(a + d, 3) == b for (a, d), (b, _) in zip(spans, spans[1:]))  # no gap, no overlap
