"""What hzeller's ``rgbmatrix.core`` does at the pinned commit, without LEDs.

Behaves as ``bindings/python/rgbmatrix/core.pyx`` and the C++ behind it do at
cf60d08f9b77 (2026-05-19), as far as a program can see:

- ``RGBMatrixOptions``: the same attributes, types (uint8_t setters raise
  OverflowError past 0-255, TypeError on a non-int) and defaults, including
  ``gpio_slowdown`` 2 on a Pi 4 and 1 otherwise;
- ``RGBMatrix(options=...)``: ``Options::Validate`` and the runtime checks
  print to stderr and leave a NULL matrix, which crashes (SIGSEGV) at the next
  call, as the real one does; a parallel count the wiring cannot carry aborts;
  without root it cannot map the GPIO; with the on-board sound module loaded
  and hardware pulsing on it exits with status 1; after the set-up it drops to
  ``drop_priv_user``/``drop_priv_group`` (default daemon) with setresgid and
  setresuid unless ``drop_privileges`` is 0;
- ``SetImage`` takes only RGB images and reads them through ``Image.getim()``
  (the capsule), as the real unsafe path does.

Instead of lighting LEDs, each ``SwapOnVSync`` appends the frame as one JSON
line to ``$RGBMATRIX_STANDIN_FRAMES/frames.jsonl`` (default
``/dev/shm/rgbmatrix-standin``), opened as root before the drop, like the real
driver's memory map. The first line of each process is an ``init`` record.
"""

from __future__ import annotations

import base64
import grp
import json
import os
import pwd
import signal
import sys
import time
from pathlib import Path
from typing import Any

MAPPINGS = {"regular": 3, "adafruit-hat": 1, "adafruit-hat-pwm": 1, "regular-pi1": 1,
            "classic": 3, "classic-pi1": 1, "compute-module": 3}
MULTIPLEXERS = 22
PI4_TYPES = (0x11, 0x13, 0x14, 0x15)
SOUND_MODULE = "snd_bcm2835"


def _env_path(name: str, default: str) -> Path:
    return Path(os.environ.get(name) or default)


def _pi_revision() -> int:
    try:
        for line in _env_path("RGBMATRIX_STANDIN_CPUINFO", "/proc/cpuinfo").read_text(
                errors="replace").splitlines():
            if line.startswith("Revision"):
                return int(line.split(":", 1)[1].strip(), 16)
    except (OSError, ValueError):
        pass
    try:
        raw = Path("/proc/device-tree/system/linux,revision").read_bytes()
        return int.from_bytes(raw[:4], "big")
    except OSError:
        return 0


def _is_pi4() -> bool:
    revision = _pi_revision()
    if revision == 0:
        print("Unknown Revision: Could not determine Pi model", file=sys.stderr)
        return False
    return (revision >> 4) & 0xFF in PI4_TYPES


def _uint(value: Any, bits: int) -> int:
    """Cython's conversion for a uintN_t setter argument."""
    if isinstance(value, float) or not hasattr(value, "__index__"):
        raise TypeError("an integer is required")
    value = int(value)
    if value < 0:
        raise OverflowError(f"can't convert negative value to uint{bits}_t")
    if value >= 1 << bits:
        raise OverflowError(f"value too large to convert to uint{bits}_t")
    return value


class _Field:
    """One option: ``kind`` is 'u8', 'u32', 'int', 'bool' or 'str' (bytes when read)."""

    def __init__(self, kind: str, default: Any) -> None:
        self.kind, self.default = kind, default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return getattr(obj, self.name, self.default)

    def __set__(self, obj: Any, value: Any) -> None:
        if self.kind == "u8":
            value = _uint(value, 8)
        elif self.kind == "u32":
            value = _uint(value, 32)
        elif self.kind == "int":
            value = int(value)
        elif self.kind == "bool":
            value = bool(value)
        else:
            value = value.encode("utf-8")  # AttributeError for a non-str, as in core.pyx
        setattr(obj, self.name, value)


class RGBMatrixOptions:
    hardware_mapping = _Field("str", b"regular")
    rows = _Field("u8", 32)
    cols = _Field("u32", 32)
    chain_length = _Field("u8", 1)
    parallel = _Field("u8", 1)
    pwm_bits = _Field("u8", 11)
    pwm_lsb_nanoseconds = _Field("u32", 130)
    brightness = _Field("u8", 100)
    scan_mode = _Field("u8", 0)
    multiplexing = _Field("u8", 0)
    row_address_type = _Field("u8", 0)
    disable_hardware_pulsing = _Field("bool", False)
    show_refresh_rate = _Field("bool", False)
    inverse_colors = _Field("bool", False)
    led_rgb_sequence = _Field("str", b"RGB")
    pixel_mapper_config = _Field("str", None)
    panel_type = _Field("str", None)
    pwm_dither_bits = _Field("u8", 0)
    limit_refresh_rate_hz = _Field("int", 0)
    gpio_slowdown = _Field("u8", 1)
    rp1_rio = _Field("u8", 0)
    daemon = _Field("u8", 0)
    drop_privileges = _Field("u8", 1)
    drop_priv_user = _Field("str", b"daemon")
    drop_priv_group = _Field("str", b"daemon")

    def __init__(self) -> None:
        self._gpio_slowdown = 2 if _is_pi4() else 1  # RuntimeOptions() asks the Pi model

    def as_dict(self) -> dict[str, Any]:
        out = {}
        for name, field in type(self).__dict__.items():
            if isinstance(field, _Field):
                value = getattr(self, name)
                out[name] = value.decode() if isinstance(value, bytes) else value
        return out


def _validate(o: RGBMatrixOptions) -> list[str]:
    """Options::Validate, message for message."""
    errors = []
    if o.rows < 8 or o.rows > 64 or o.rows % 2:
        errors.append("Invalid number or rows per panel (--led-rows). "
                      "Should be in range of [8..64] and divisible by 2.")
    if o.cols < 16:
        errors.append("Invalid number of columns for panel (--led-cols). "
                      "Typically that is something like 32 or 64")
    if o.chain_length < 1:
        errors.append("Chain-length outside usable range.")
    if o.multiplexing > MULTIPLEXERS:
        errors.append("Multiplexing can only be one of 0=normal; ...")
    if o.row_address_type > 5:
        errors.append("Row address type values can be 0 (default), 1 (AB addressing), "
                      "2 (direct row select), 3 (ABC address), 4 (ABC Shift + DE direct), "
                      "5 (Test row select).")
    if o.parallel < 1 or o.parallel > 3:
        errors.append("Parallel outside usable range (1..3 allowed).")
    if o.brightness < 1 or o.brightness > 100:
        errors.append("Brightness outside usable range (Percent 1..100 allowed).")
    if o.pwm_bits <= 0 or o.pwm_bits > 11:
        errors.append("Invalid range of pwm-bits (1..11 allowed).")
    if o.scan_mode > 1:
        errors.append("Invalid scan mode (0 or 1 allowed).")
    if o.pwm_lsb_nanoseconds < 50 or o.pwm_lsb_nanoseconds > 3000:
        errors.append("Invalid range of pwm-lsb-nanoseconds (50..3000 allowed).")
    if o.pwm_dither_bits > 2:
        errors.append("Invalid range of pwm-dither-bits (0..2 allowed).")
    sequence = (o.led_rgb_sequence or b"").decode().upper()
    if len(sequence) != 3:
        errors.append("led-sequence needs to be three characters long.")
    elif not all(c in sequence for c in "RGB"):
        errors.append("led-sequence needs to contain all of letters 'R', 'G' and 'B'")
    return errors


def _drop_privileges(user: str, group: str) -> None:
    """drop_privs() in led-matrix.cc: a number is an id, else a name; group first."""
    if os.geteuid() != 0:
        return
    gid = int(group) if group.isdigit() and int(group) else grp.getgrnam(group or "daemon").gr_gid
    os.setresgid(gid, gid, gid)
    uid = int(user) if user.isdigit() and int(user) else pwd.getpwnam(user or "daemon").pw_uid
    os.setresuid(uid, uid, uid)


def _crash() -> None:
    """What dereferencing the NULL matrix does."""
    sys.stderr.flush()
    signal.signal(signal.SIGSEGV, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGSEGV)


class _Recorder:
    def __init__(self) -> None:
        folder = _env_path("RGBMATRIX_STANDIN_FRAMES", "/dev/shm/rgbmatrix-standin")
        folder.mkdir(parents=True, exist_ok=True)
        self.handle = open(folder / "frames.jsonl", "a", buffering=1)  # noqa: SIM115
        self.seq = 0

    def write(self, record: dict[str, Any]) -> None:
        record.update(pid=os.getpid(), uid=os.getuid(), gid=os.getgid(), time=time.time())
        self.handle.write(json.dumps(record, separators=(",", ":")) + "\n")


class Canvas:
    """``FrameCanvas()`` made from Python has no C++ canvas: every use raises, as in core.pyx."""

    def __init__(self, width: int = 0, height: int = 0) -> None:
        self._width, self._height = width, height
        self._pixels = bytearray(width * height * 3)
        self._brightness = 100
        self.pwmBits = 11  # noqa: N815 - the driver's name

    def _canvas(self) -> None:
        if not self._width:
            raise Exception("Canvas was destroyed or not initialized, you cannot use this "
                            "object anymore")

    @property
    def width(self) -> int:
        return self._width

    @property
    def height(self) -> int:
        return self._height

    @property
    def brightness(self) -> int:
        return self._brightness

    @brightness.setter
    def brightness(self, value: int) -> None:
        self._brightness = _uint(value, 8)

    def SetPixel(self, x: int, y: int, red: int, green: int, blue: int) -> None:  # noqa: N802
        if 0 <= x < self._width and 0 <= y < self._height:
            at = (y * self._width + x) * 3
            self._pixels[at:at + 3] = bytes((_uint(red, 8), _uint(green, 8), _uint(blue, 8)))

    def Fill(self, red: int, green: int, blue: int) -> None:  # noqa: N802
        self._pixels[:] = bytes((red, green, blue)) * (self._width * self._height)

    def Clear(self) -> None:  # noqa: N802
        self._pixels[:] = bytes(len(self._pixels))

    def SetImage(self, image: Any, offset_x: int = 0, offset_y: int = 0,  # noqa: N802
                 unsafe: bool = True) -> None:
        if image.mode != "RGB":
            raise Exception("Currently, only RGB mode is supported for SetImage(). Please "
                            "create images with mode 'RGB' or convert first with image = "
                            "image.convert('RGB'). Pull requests to support more modes "
                            "natively are also welcome :)")
        width, height = image.size
        if unsafe:
            capsule = image.getim()  # the pinned bindings' access path
            self._canvas()  # SetPixelsPillow looks for the canvas before reading the capsule
            del capsule
            data = image.tobytes()
            for row in range(max(0, -offset_y), min(height, self._height - offset_y)):
                for col in range(max(0, -offset_x), min(width, self._width - offset_x)):
                    at = (row * width + col) * 3
                    self.SetPixel(col + offset_x, row + offset_y, *data[at:at + 3])
        else:
            pixels = image.load()
            for x in range(max(0, -offset_x), min(width, self._width - offset_x)):
                for y in range(max(0, -offset_y), min(height, self._height - offset_y)):
                    self.SetPixel(x + offset_x, y + offset_y, *pixels[x, y])


class FrameCanvas(Canvas):
    pass


class RGBMatrix(Canvas):
    def __init__(self, rows: int = 0, chains: int = 0, parallel: int = 0,
                 options: RGBMatrixOptions | None = None) -> None:
        options = options or RGBMatrixOptions()
        if rows > 0:
            options.rows = rows
        if chains > 0:
            options.chain_length = chains
        if parallel > 0:
            options.parallel = parallel
        self._null = not self._create(options)

    def _create(self, o: RGBMatrixOptions) -> bool:
        errors = _validate(o)
        if errors:
            print("\n".join(errors) + "\n", file=sys.stderr)
            return False
        if o.gpio_slowdown > 10:
            print(f"--led-slowdown-gpio={o.gpio_slowdown} is outside usable range",
                  file=sys.stderr)
            return False
        if o.rp1_rio > 1:
            print(f"--led-rp1-rio={o.rp1_rio} is outside usable range 0..1", file=sys.stderr)
            return False
        if os.geteuid() != 0:
            print("Must run as root to be able to access /dev/mem\n"
                  "Prepend 'sudo' to the command", file=sys.stderr)
            return False
        if o.daemon > 0 and os.fork() > 0:
            os._exit(0)
        mapping = o.hardware_mapping.decode()
        if mapping not in MAPPINGS:
            print(f"There is no hardware mapping named '{mapping}'.", file=sys.stderr)
            os.abort()
        if o.parallel > MAPPINGS[mapping]:
            print(f"The {mapping} GPIO mapping only supports {MAPPINGS[mapping]} parallel "
                  f"chain, but {o.parallel} was requested.", file=sys.stderr)
            os.abort()
        if not o.disable_hardware_pulsing and self._sound_loaded():
            print(f"\n=== {SOUND_MODULE}: found that the Pi sound module is loaded. ===\n"
                  "Exiting; fix the above first or use --led-no-hardware-pulse\n",
                  file=sys.stderr)
            sys.stderr.flush()
            os._exit(1)
        Canvas.__init__(self, o.cols * o.chain_length, o.rows * o.parallel)
        self._options = o
        self._brightness = o.brightness
        self._recorder = _Recorder()  # opened as root, like the GPIO memory map
        started_uid = os.geteuid()
        if o.drop_privileges > 0:
            _drop_privileges(o.drop_priv_user.decode(), o.drop_priv_group.decode())
        self._recorder.write({"event": "init", "options": o.as_dict(),
                              "started_uid": started_uid})
        return True

    @staticmethod
    def _sound_loaded() -> bool:
        try:
            text = _env_path("RGBMATRIX_STANDIN_MODULES", "/proc/modules").read_text()
        except OSError:
            return False
        return any(line.startswith(SOUND_MODULE) for line in text.splitlines())

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and object.__getattribute__(self, "__dict__").get("_null"):
            _crash()
        return object.__getattribute__(self, name)

    def CreateFrameCanvas(self) -> FrameCanvas:  # noqa: N802
        return FrameCanvas(self._width, self._height)

    def SwapOnVSync(self, new_frame: FrameCanvas,  # noqa: N802
                    framerate_fraction: int = 1) -> FrameCanvas:
        if not isinstance(new_frame, FrameCanvas):
            raise TypeError("Argument 'newFrame' has incorrect type")
        self._recorder.seq += 1
        self._recorder.write({
            "event": "frame", "seq": self._recorder.seq, "width": new_frame.width,
            "height": new_frame.height, "brightness": new_frame.brightness,
            "rgb": base64.b64encode(bytes(new_frame._pixels)).decode(),
        })
        shown, self._shown = getattr(self, "_shown", None), new_frame
        return shown or FrameCanvas(self._width, self._height)

    @property
    def luminanceCorrect(self) -> bool:  # noqa: N802
        return True
