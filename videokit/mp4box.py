"""The MP4 box tree, walked without a process: the faststart check and the outro join's header comparison."""

from __future__ import annotations

import os
import struct
from typing import BinaryIO, Iterator


def top_level_boxes(fh: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
    """(kind, payload offset, payload size) of each top-level box in file order, reading headers only (mdat is
    skipped by its size); stops at a size that cannot be."""
    end = os.fstat(fh.fileno()).st_size
    pos = 0
    while pos + 8 <= end:
        fh.seek(pos)
        header = fh.read(16)
        size, kind = struct.unpack(">I4s", header[:8])
        head = 8
        if size == 1:  # a 64-bit size follows the kind
            if len(header) < 16:
                return
            size, head = struct.unpack(">Q", header[8:16])[0], 16
        elif size == 0:  # the box runs to the end of the file
            size = end - pos
        if size < head:
            return
        yield kind, pos + head, size - head
        pos += size


def read_top_level(fh: BinaryIO, kind: bytes) -> bytes | None:
    """The payload of the file's first top-level box of `kind`."""
    for name, offset, size in top_level_boxes(fh):
        if name == kind:
            fh.seek(offset)
            return fh.read(size)
    return None


def child_box(data: bytes, kind: bytes) -> bytes | None:
    """The payload of the first child box of `kind` inside a box's payload."""
    pos = 0
    while pos + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[pos:pos + 8])
        if size < 8:
            return None
        if name == kind:
            return data[pos + 8:pos + size]
        pos += size
    return None
