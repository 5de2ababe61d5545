"""Draw the fictional Musterstadt logo (a shield with a stylised town gate). Re-run to regenerate logo.png."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
BLUE, GOLD, WHITE = (11, 79, 138, 255), (242, 183, 5, 255), (255, 255, 255, 255)


def main() -> None:
    scale = 4  # draw large, downsample for smooth edges
    w, h = 600, 200
    img = Image.new("RGBA", (w * scale, h * scale), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = scale
    shield = [(20 * s, 20 * s), (160 * s, 20 * s), (160 * s, 110 * s), (90 * s, 180 * s), (20 * s, 110 * s)]
    d.polygon(shield, fill=WHITE)
    d.polygon([(30 * s, 30 * s), (150 * s, 30 * s), (150 * s, 105 * s), (90 * s, 166 * s), (30 * s, 105 * s)], fill=BLUE)
    d.rectangle([55 * s, 60 * s, 125 * s, 130 * s], fill=GOLD)  # gate tower
    for x in (55, 79, 103):
        d.rectangle([x * s, 48 * s, (x + 14) * s, 62 * s], fill=GOLD)  # battlements
    d.pieslice([75 * s, 90 * s, 105 * s, 120 * s], 180, 360, fill=BLUE)
    d.rectangle([75 * s, 105 * s, 105 * s, 130 * s], fill=BLUE)  # gate opening
    font = ImageFont.truetype(str(HERE / "fonts" / "OpenSans-Bold.ttf"), 62 * s)
    d.text((185 * s, 100 * s), "Musterstadt", font=font, fill=WHITE, anchor="lm")
    img.resize((w, h), Image.LANCZOS).save(HERE / "logo.png", optimize=True)


if __name__ == "__main__":
    main()
