#!/usr/bin/python3
"""Temporal flicker of depth sequences and of the views made from them: the warping error
of Lai et al. (ECCV 2018, "Learning Blind Video Temporal Consistency"). For each pair of
consecutive source frames t, t+1: dense optical flow on the SOURCE frames (OpenCV DIS,
medium preset), forward and backward; frame t+1 of the measured sequence is warped back to
t along the flow; pixels failing the forward-backward consistency check (occluded or
mis-tracked: |F + B(p + F)|^2 > 0.01 (|F|^2 + |B(p + F)|^2) + 0.5) or flowing out of the
frame are masked out; the error is the mean absolute difference over the remaining pixels,
values in 0..1 (depth: 16-bit maps / 65535; views: 8-bit colour / 255, mean over
channels), averaged over all pairs. The source frames' own warping error is printed too:
the floor that flow errors alone give.

  flicker.py FRAMES_DIR 'NAME|DEPTH_DIR[|VIEWS_DIR]' ...   (one table row per NAME)
"""
import glob
import os
import sys

import cv2
import numpy as np


def frames_in(folder):
    files = sorted(glob.glob(os.path.join(folder, "[0-9]" * 6 + ".png")))
    if not files:
        sys.exit(f"flicker.py: no NNNNNN.png frames in '{folder}'")
    return files


def flows(frames):
    """Per consecutive pair: (remap grid x, remap grid y, valid mask) taking t+1 back to t."""
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    gray = [cv2.cvtColor(cv2.imread(f), cv2.COLOR_BGR2GRAY) for f in frames]
    h, w = gray[0].shape
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    out = []
    for a, b in zip(gray, gray[1:]):
        fw = dis.calc(a, b, None)
        bw = dis.calc(b, a, None)
        mx, my = gx + fw[..., 0], gy + fw[..., 1]
        bw_at = cv2.remap(bw, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        diff = ((fw + bw_at) ** 2).sum(-1)
        mag = (fw ** 2).sum(-1) + (bw_at ** 2).sum(-1)
        inside = (mx >= 0) & (mx <= w - 1) & (my >= 0) & (my <= h - 1)
        out.append((mx, my, inside & (diff <= 0.01 * mag + 0.5)))
    return out


def warping_error(files, pair_flows, scale):
    total, pairs = 0.0, 0
    for (mx, my, valid), fa, fb in zip(pair_flows, files, files[1:]):
        a = cv2.imread(fa, cv2.IMREAD_UNCHANGED).astype(np.float32) / scale
        b = cv2.imread(fb, cv2.IMREAD_UNCHANGED).astype(np.float32) / scale
        if a.shape[:2] != valid.shape:  # (a depth or view of another size than the source)
            sys.exit(f"flicker.py: '{fa}' is {a.shape[1]}x{a.shape[0]}, the source frames "
                     f"{valid.shape[1]}x{valid.shape[0]}")
        warped = cv2.remap(b, mx, my, cv2.INTER_LINEAR)
        d = np.abs(a - warped)
        if d.ndim == 3:
            d = d.mean(-1)
        if valid.any():
            total += float(d[valid].mean())
            pairs += 1
    return total / max(pairs, 1)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    source = frames_in(sys.argv[1])
    pair_flows = flows(source)
    masked = np.mean([1 - v.mean() for _, _, v in pair_flows])
    print(f"{len(source)} frames, {100 * masked:.1f} % of pixels masked (occluded / out of frame)")
    print(f"{'run':<30} {'depth':>10} {'left eye':>10}")
    print(f"{'source frames (floor)':<30} {'':>10} {warping_error(source, pair_flows, 255.0):>10.5f}")
    for arg in sys.argv[2:]:
        name, _, dirs = arg.partition("|")
        depth_dir, _, views_dir = dirs.partition("|")
        depth = warping_error(frames_in(depth_dir), pair_flows, 65535.0)
        views = warping_error(frames_in(os.path.join(views_dir, "left")), pair_flows, 255.0) if views_dir else None
        print(f"{name:<30} {depth:>10.5f} {views:>10.5f}" if views is not None else f"{name:<30} {depth:>10.5f}")


if __name__ == "__main__":
    main()
