#!/usr/bin/env python3
"""Writes the goldens of the functional vision ops (nn/src/test/resources/goldens/vision.safetensors):
pixel_shuffle, pixel_unshuffle, channel_shuffle, interpolate (every mode), grid_sample (every mode and
padding, 2-D and 3-D) and affine_grid. Run through tools/parity/run.sh.

Each case is a spec string in the metadata ("case.NAME" -> "fn=interpolate;shape=1,2,5;mode=linear;..."),
which VisionTest parses to make the same call, and one flat tensor NAME holding, one after the other, the
parts listed with their shapes in "parts.NAME": in0 (the input or theta), in1 (the grid, if any), out, a
random output gradient gout and the gradients grad_in0, grad_in1 of sum(out * gout). float64 cases compare
at 1e-10, float32 cases (spec dtype=float32) at float tolerance.

PyTorch 1.13 has no derivative for channel_shuffle: its gradients come from the same permutation written as
reshape/transpose (checked equal to channel_shuffle's output). Cases marked fwdonly=1 record no gradients:
there PyTorch 1.13's backward kernel takes a shortcut (output size equal to the input size) that its forward
kernel does not take, so its gradient is not the one of its own forward; jtorch's is (checked by gradcheck).

Bad inputs: "err.N" -> spec of the call, "err.N.msg" -> str(exception) of PyTorch.
"""
import os
import sys
import warnings

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
os.makedirs(OUT, exist_ok=True)
warnings.simplefilter("ignore")

DTYPES = {"float64": torch.float64, "float32": torch.float32, "int64": torch.int64, "bfloat16": torch.bfloat16,
          "float16": torch.float16, "bool": torch.bool}


def ints(s):
    return [int(v) for v in s.split(",")] if s else []


def parse(spec):
    return dict(kv.split("=", 1) for kv in spec.split(";"))


def opt_bool(s):
    return None if s == "" else s == "1"


def call(spec, ins):
    """The PyTorch call that spec describes, on the tensors ins (input first)."""
    d = parse(spec)
    fn = d["fn"]
    if fn == "pixel_shuffle":
        return F.pixel_shuffle(ins[0], int(d["r"]))
    if fn == "pixel_unshuffle":
        return F.pixel_unshuffle(ins[0], int(d["r"]))
    if fn == "channel_shuffle":
        if ins[0].requires_grad:
            # PyTorch 1.13 has no derivative for channel_shuffle: the same permutation as a view chain
            x, g = ins[0], int(d["g"])
            y = x.reshape(x.shape[0], g, x.shape[1] // g, -1).transpose(1, 2).reshape(x.shape)
            assert torch.equal(y, F.channel_shuffle(x.detach(), g))
            return y
        return F.channel_shuffle(ins[0], int(d["g"]))
    if fn == "interpolate":
        size = ints(d.get("size", ""))
        scale = [float(v) for v in d.get("scale", "").split(",") if v]
        return F.interpolate(ins[0], size=(size[0] if len(size) == 1 else size) if size else None,
                             scale_factor=(scale[0] if len(scale) == 1 else scale) if scale else None,
                             mode=d["mode"], align_corners=opt_bool(d.get("align", "")),
                             recompute_scale_factor=opt_bool(d.get("recompute", "")))
    if fn == "grid_sample":
        return F.grid_sample(ins[0], ins[1], mode=d["mode"], padding_mode=d["padding"],
                             align_corners=d["align"] == "1")
    if fn == "affine_grid":
        return F.affine_grid(ins[0], ints(d["size"]), align_corners=d["align"] == "1")
    raise ValueError(fn)


def spec_of(fn, shape, **kw):
    parts = ["fn=" + fn, "shape=" + ",".join(str(v) for v in shape)]
    for k, v in kw.items():
        if v is None:
            v = ""
        elif isinstance(v, bool):
            v = "1" if v else "0"
        elif isinstance(v, (list, tuple)):
            v = ",".join(repr(x) for x in v)
        parts.append(f"{k}={v}")
    return ";".join(parts)


CASES = []  # (name, spec, grid shape or None, grid range)


def case(name, fn, shape, grid=None, span=1.3, **kw):
    CASES.append((name, spec_of(fn, shape, **kw), grid, span))


# ---------------------------------------------------------------- pixel and channel shuffles
case("pixel_shuffle_4d", "pixel_shuffle", (2, 8, 2, 3), r=2)
case("pixel_shuffle_3d", "pixel_shuffle", (9, 2, 2), r=3)
case("pixel_shuffle_5d", "pixel_shuffle", (2, 1, 4, 2, 2), r=2)
case("pixel_shuffle_r1", "pixel_shuffle", (1, 3, 2, 2), r=1)
case("pixel_unshuffle_4d", "pixel_unshuffle", (1, 2, 4, 6), r=2)
case("pixel_unshuffle_3d", "pixel_unshuffle", (2, 3, 3), r=3)
case("pixel_unshuffle_5d", "pixel_unshuffle", (2, 2, 1, 4, 4), r=2)
case("channel_shuffle_3d", "channel_shuffle", (2, 6, 3), g=3)
case("channel_shuffle_4d", "channel_shuffle", (1, 4, 2, 3), g=2)
case("channel_shuffle_5d", "channel_shuffle", (2, 6, 1, 2, 2), g=2)
case("channel_shuffle_g1", "channel_shuffle", (1, 3, 2), g=1)

# ---------------------------------------------------------------- interpolate
S1, S2, S3 = (1, 2, 5), (1, 1, 4, 5), (1, 1, 3, 4, 3)
for mode, shape in (("nearest", S1), ("nearest-exact", S1)):
    tag = mode.replace("-", "_")
    case(f"{tag}_1d_size8", "interpolate", shape, mode=mode, size=[8])
    case(f"{tag}_1d_size3", "interpolate", shape, mode=mode, size=[3])
    case(f"{tag}_1d_scale1.7", "interpolate", shape, mode=mode, scale=[1.7])
    case(f"{tag}_1d_scale0.6", "interpolate", shape, mode=mode, scale=[0.6])
    case(f"{tag}_1d_scale1.7_rec", "interpolate", shape, mode=mode, scale=[1.7], recompute=True)
    case(f"{tag}_1d_scale2.9_norec", "interpolate", shape, mode=mode, scale=[2.9], recompute=False)
case("nearest_1d_scale2", "interpolate", S1, mode="nearest", scale=[2.0])
case("nearest_2d_size", "interpolate", S2, mode="nearest", size=[6, 7])
case("nearest_2d_scale", "interpolate", S2, mode="nearest", scale=[1.7, 0.6])
case("nearest_2d_scale_bcast", "interpolate", S2, mode="nearest", scale=[2.5])
case("nearest_exact_2d_size", "interpolate", S2, mode="nearest-exact", size=[3, 8])
case("nearest_exact_2d_scale", "interpolate", S2, mode="nearest-exact", scale=[1.7], recompute=True)
case("nearest_3d_size", "interpolate", S3, mode="nearest", size=[4, 5, 2])
case("nearest_3d_scale", "interpolate", S3, mode="nearest", scale=[1.7])
case("nearest_exact_3d_scale", "interpolate", S3, mode="nearest-exact", scale=[1.5, 0.7, 2.2])
# output size equal to the input size with a scale other than 1: PyTorch's nearest backward shortcuts
case("nearest_1d_same_size", "interpolate", S1, mode="nearest", scale=[1.1], fwdonly=True)
for align in (False, True):
    a = "ac" if align else "nac"
    case(f"linear_{a}_size8", "interpolate", S1, mode="linear", align=align, size=[8])
    case(f"linear_{a}_size3", "interpolate", S1, mode="linear", align=align, size=[3])
    case(f"linear_{a}_size1", "interpolate", S1, mode="linear", align=align, size=[1])
    case(f"linear_{a}_scale1.7", "interpolate", S1, mode="linear", align=align, scale=[1.7])
    case(f"linear_{a}_scale0.6", "interpolate", S1, mode="linear", align=align, scale=[0.6])
    case(f"linear_{a}_scale1.7_rec", "interpolate", S1, mode="linear", align=align, scale=[1.7], recompute=True)
    case(f"linear_{a}_scale0.6_norec", "interpolate", S1, mode="linear", align=align, scale=[0.6],
         recompute=False)
    case(f"bilinear_{a}_size", "interpolate", S2, mode="bilinear", align=align, size=[6, 3])
    case(f"bilinear_{a}_scale", "interpolate", S2, mode="bilinear", align=align, scale=[1.7, 0.6])
    case(f"bilinear_{a}_scale_rec", "interpolate", S2, mode="bilinear", align=align, scale=[1.7, 0.6],
         recompute=True)
    case(f"bicubic_{a}_size", "interpolate", S2, mode="bicubic", align=align, size=[7, 3])
    case(f"bicubic_{a}_scale", "interpolate", S2, mode="bicubic", align=align, scale=[1.7])
    case(f"bicubic_{a}_scale_rec", "interpolate", S2, mode="bicubic", align=align, scale=[0.6, 2.2],
         recompute=True)
    case(f"trilinear_{a}_size", "interpolate", S3, mode="trilinear", align=align, size=[4, 2, 5])
    case(f"trilinear_{a}_scale", "interpolate", S3, mode="trilinear", align=align, scale=[1.7, 0.6, 1.3])
    case(f"trilinear_{a}_scale_rec", "interpolate", S3, mode="trilinear", align=align, scale=[0.6],
         recompute=True)
case("linear_same_size_scale1.1", "interpolate", S1, mode="linear", align=False, scale=[1.1])
case("bilinear_one_dim_same", "interpolate", S2, mode="bilinear", align=False, scale=[1.1, 1.7])
case("bicubic_same_size_scale1.1", "interpolate", S2, mode="bicubic", align=False, scale=[1.1], fwdonly=True)
case("area_1d_size", "interpolate", S1, mode="area", size=[3])
case("area_1d_scale", "interpolate", S1, mode="area", scale=[0.6])
case("area_2d_size", "interpolate", S2, mode="area", size=[3, 2])
case("area_2d_up", "interpolate", S2, mode="area", size=[5, 7])
case("area_3d_scale", "interpolate", S3, mode="area", scale=[0.7])

# ---------------------------------------------------------------- grid_sample
G2, G3 = (1, 2, 3, 4), (1, 1, 3, 4, 3)
for mode in ("bilinear", "nearest", "bicubic"):
    for padding in ("zeros", "border", "reflection"):
        for align in (False, True):
            a = "ac" if align else "nac"
            case(f"grid2d_{mode}_{padding}_{a}", "grid_sample", G2, grid=(1, 3, 3, 2), mode=mode, padding=padding,
                 align=align)
            if mode != "bicubic":
                case(f"grid3d_{mode}_{padding}_{a}", "grid_sample", G3, grid=(1, 2, 2, 2, 3), mode=mode,
                     padding=padding, align=align)
for mode in ("bilinear", "bicubic"):
    for align in (False, True):
        a = "ac" if align else "nac"
        case(f"grid2d_{mode}_reflection_far_{a}", "grid_sample", G2, grid=(1, 3, 3, 2), span=3.7, mode=mode,
             padding="reflection", align=align)
case("grid3d_bilinear_reflection_far_nac", "grid_sample", G3, grid=(1, 2, 2, 2, 3), span=3.7, mode="bilinear",
     padding="reflection", align=False)
case("grid2d_bilinear_zeros_batch2_nac", "grid_sample", (2, 2, 3, 4), grid=(2, 3, 3, 2), mode="bilinear",
     padding="zeros", align=False)
case("grid2d_bicubic_reflection_batch2_ac", "grid_sample", (2, 2, 3, 4), grid=(2, 2, 3, 2), mode="bicubic",
     padding="reflection", align=True)
case("grid3d_nearest_border_batch2_ac", "grid_sample", (2, 2, 2, 3, 2), grid=(2, 2, 2, 2, 3), mode="nearest",
     padding="border", align=True)
case("bilinear_batch2_channels3", "interpolate", (2, 3, 3, 4), mode="bilinear", align=False, scale=[1.7])
case("grid2d_bilinear_reflection_unit_ac", "grid_sample", (1, 2, 1, 4), grid=(1, 2, 3, 2), mode="bilinear",
     padding="reflection", align=True)
case("grid2d_bicubic_border_unit_nac", "grid_sample", (1, 1, 1, 4), grid=(1, 2, 3, 2), mode="bicubic",
     padding="border", align=False)

# ---------------------------------------------------------------- affine_grid
case("affine2d_nac", "affine_grid", (2, 2, 3), size=[2, 3, 4, 5], align=False)
case("affine2d_ac", "affine_grid", (2, 2, 3), size=[2, 3, 4, 5], align=True)
case("affine2d_unit_ac", "affine_grid", (1, 2, 3), size=[1, 1, 1, 4], align=True)
case("affine2d_unit_nac", "affine_grid", (1, 2, 3), size=[1, 1, 3, 1], align=False)
case("affine3d_nac", "affine_grid", (2, 3, 4), size=[2, 1, 3, 4, 2], align=False)
case("affine3d_ac", "affine_grid", (2, 3, 4), size=[2, 1, 3, 4, 2], align=True)

# ---------------------------------------------------------------- float32 (compared at float tolerance)
case("f32_nearest_1d_scale1.7", "interpolate", (1, 3, 11), dtype="float32", mode="nearest", scale=[1.7])
case("f32_nearest_exact_2d_scale0.6", "interpolate", (1, 2, 9, 10), dtype="float32", mode="nearest-exact",
     scale=[0.6, 1.3])
case("f32_linear_nac_scale2.9", "interpolate", (1, 2, 7), dtype="float32", mode="linear", align=False, scale=[2.9])
case("f32_bilinear_nac_scale1.7", "interpolate", S2, dtype="float32", mode="bilinear", align=False,
     scale=[1.7, 0.45])
case("f32_bicubic_ac_size", "interpolate", S2, dtype="float32", mode="bicubic", align=True, size=[7, 9])
case("f32_bicubic_nac_scale", "interpolate", S2, dtype="float32", mode="bicubic", align=False, scale=[2.2, 0.7])
case("f32_trilinear_nac_scale0.6", "interpolate", S3, dtype="float32", mode="trilinear", align=False,
     scale=[1.6, 0.6, 2.5])
case("f32_area_2d", "interpolate", S2, dtype="float32", mode="area", size=[3, 3])
case("f32_grid2d_bilinear_reflection_nac", "grid_sample", G2, grid=(1, 3, 3, 2), dtype="float32",
     mode="bilinear", padding="reflection", align=False)
case("f32_grid2d_bicubic_zeros_ac", "grid_sample", G2, grid=(1, 3, 3, 2), dtype="float32", mode="bicubic",
     padding="zeros", align=True)
case("f32_grid2d_nearest_border_nac", "grid_sample", G2, grid=(1, 3, 3, 2), dtype="float32", mode="nearest",
     padding="border", align=False)
case("f32_grid3d_bilinear_zeros_ac", "grid_sample", G3, grid=(1, 2, 2, 2, 3), dtype="float32", mode="bilinear",
     padding="zeros", align=True)
case("f32_affine2d_nac", "affine_grid", (2, 2, 3), dtype="float32", size=[2, 3, 4, 5], align=False)
case("f32_pixel_shuffle", "pixel_shuffle", (1, 8, 2, 2), dtype="float32", r=2)

# ---------------------------------------------------------------- bad inputs: (spec, extra tensor shape)
ERRORS = [
    ("fn=pixel_shuffle;shape=2,4;r=2", None),
    ("fn=pixel_shuffle;shape=1,4,2,2;r=0", None),
    ("fn=pixel_shuffle;shape=1,6,2,2;r=2", None),
    ("fn=pixel_unshuffle;shape=2,4;r=2", None),
    ("fn=pixel_unshuffle;shape=1,1,4,4;r=-1", None),
    ("fn=pixel_unshuffle;shape=1,1,3,4;r=2", None),
    ("fn=pixel_unshuffle;shape=1,1,4,3;r=2", None),
    ("fn=channel_shuffle;shape=2,4;g=2", None),
    ("fn=channel_shuffle;shape=1,4,3;g=0", None),
    ("fn=channel_shuffle;shape=1,4,3;g=3", None),
    ("fn=interpolate;shape=1,1,4,4;mode=nearest;size=3;align=1", None),
    ("fn=interpolate;shape=1,1,4,4;mode=area;size=3;align=0", None),
    ("fn=interpolate;shape=1,1,4,4;mode=nearest;size=3;scale=2.0", None),
    ("fn=interpolate;shape=1,1,4,4;mode=nearest", None),
    ("fn=interpolate;shape=1,1,4,4;mode=nearest;size=3,3,3", None),
    ("fn=interpolate;shape=1,1,4,4;mode=nearest;scale=2.0,2.0,1.5", None),
    ("fn=interpolate;shape=1,1,4,4;mode=nearest;size=3;recompute=1", None),
    ("fn=interpolate;shape=1,4,4;mode=bilinear;size=3", None),
    ("fn=interpolate;shape=1,4,4;mode=trilinear;size=3", None),
    ("fn=interpolate;shape=1,1,4,4;mode=linear;size=3", None),
    ("fn=interpolate;shape=1,1,4,4;mode=trilinear;size=3", None),
    ("fn=interpolate;shape=1,1,4,4,4;mode=linear;size=3", None),
    ("fn=interpolate;shape=1,1,4,4,4;mode=bilinear;size=3", None),
    ("fn=interpolate;shape=1,1,4,4,4;mode=bicubic;size=3", None),
    ("fn=interpolate;shape=1,1,4;mode=bicubic;size=3", None),
    ("fn=interpolate;shape=1,4;mode=nearest;size=3", None),
    ("fn=interpolate;shape=1,1,4;mode=nearest;size=0", None),
    ("fn=interpolate;shape=1,1,4,4;mode=nearest-exact;size=0", None),
    ("fn=interpolate;shape=1,1,4,4,4;mode=nearest;size=0", None),
    ("fn=interpolate;shape=1,1,4;mode=linear;size=0", None),
    ("fn=interpolate;shape=1,1,4,4;mode=bicubic;size=0", None),
    ("fn=interpolate;shape=1,1,4,4,4;mode=trilinear;size=0", None),
    ("fn=interpolate;shape=1,1,4,4;mode=bilinear;scale=0.1", None),
    ("fn=interpolate;shape=1,1,4,4;mode=bilinear;scale=-0.1", None),
    ("fn=interpolate;shape=1,1,4,4;mode=bilinear;scale=-0.3;recompute=1", None),
    ("fn=interpolate;shape=1,1,4,4;mode=area;scale=-0.5", None),
    ("fn=interpolate;shape=1,1,4;mode=area;size=-1", None),
    ("fn=interpolate;shape=1,1,4,4,4;mode=area;size=-1,2,0", None),
    ("fn=interpolate;shape=1,2,4,4;dtype=int64;mode=nearest;size=3", None),
    ("fn=interpolate;shape=1,2,4;dtype=int64;mode=area;size=3", None),
    ("fn=interpolate;shape=1,2,4,4;dtype=float16;mode=area;size=3", None),
    ("fn=interpolate;shape=1,2,4,4,4;dtype=bool;mode=area;size=3", None),
    ("fn=interpolate;shape=1,2,4;dtype=int64;mode=linear;size=3", None),
    ("fn=interpolate;shape=1,2,4,4;dtype=float16;mode=bicubic;size=3", None),
    ("fn=interpolate;shape=1,2,4,4;dtype=bfloat16;mode=nearest-exact;size=3", None),
    ("fn=grid_sample;shape=1,1,3,3;mode=bilinear;padding=zeros;align=0", (2, 2, 2, 2)),
    ("fn=grid_sample;shape=1,1,3,3;mode=bilinear;padding=zeros;align=0", (1, 2, 2, 3)),
    ("fn=grid_sample;shape=1,1,3,3;mode=bilinear;padding=zeros;align=0", (1, 2, 2, 2, 2)),
    ("fn=grid_sample;shape=1,1,3,3,3;mode=bicubic;padding=zeros;align=0", (1, 2, 2, 2, 3)),
    ("fn=grid_sample;shape=1,1,0,3;mode=bilinear;padding=zeros;align=0", (1, 2, 2, 2)),
    ("fn=grid_sample;shape=1,1,3;mode=bilinear;padding=zeros;align=0", (1, 2, 1)),
    ("fn=grid_sample;shape=1,1,3,3;mode=bilinear;padding=zeros;align=0;griddtype=float32", (1, 2, 2, 2)),
    ("fn=grid_sample;shape=1,1,3,3;dtype=int64;griddtype=int64;mode=bilinear;padding=zeros;align=0", (1, 2, 2, 2)),
    ("fn=grid_sample;shape=1,1,3,3,3;dtype=float16;griddtype=float16;mode=bilinear;padding=zeros;align=0",
     (1, 2, 2, 2, 3)),
    ("fn=affine_grid;shape=1,2,3;dtype=int64;size=1,1,3,3;align=0", None),
    ("fn=affine_grid;shape=1,3,3;size=1,1,3,3;align=0", None),
    ("fn=affine_grid;shape=1,2,3;size=1,1,3,3,3;align=0", None),
    ("fn=affine_grid;shape=1,2,3;size=1,1,3;align=0", None),
    ("fn=affine_grid;shape=1,2,3;size=1,1,0,3;align=0", None),
    ("fn=affine_grid;shape=2,2,3;size=1,1,3,3;align=0", None),
]
# mode strings PyTorch refuses before looking at the tensors (jtorch: the enums' of(String))
MODE_ERRORS = {
    "grid_sample_mode": ("foo", lambda: F.grid_sample(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 1, 2), mode="foo",
                                                      align_corners=False)),
    "grid_sample_padding": ("foo", lambda: F.grid_sample(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 1, 2),
                                                         padding_mode="foo", align_corners=False)),
    "interpolate_mode": ("foo", lambda: F.interpolate(torch.zeros(1, 1, 2, 2), size=3, mode="foo")),
}


def make(shape, dt, lo=-1.0, hi=1.0):
    if dt in (torch.int64, torch.bool):
        return torch.zeros(shape, dtype=dt)
    return (torch.rand(shape, dtype=torch.float64) * (hi - lo) + lo).to(dt)


def main():
    tensors, meta = {}, {}
    for k, (name, spec, grid, span) in enumerate(CASES):
        d = parse(spec)
        dt = DTYPES[d.get("dtype", "float64")]
        torch.manual_seed(k)
        x = make(ints(d["shape"]), dt).requires_grad_(True)
        ins = [x]
        if grid is not None:
            ins.append(make(grid, dt, -span, span).requires_grad_(True))
        y = call(spec, ins)
        meta["case." + name] = spec
        parts = {f"in{i}": t.detach() for i, t in enumerate(ins)}
        parts["out"] = y.detach()
        if d.get("fwdonly") != "1":
            gout = torch.randn(y.shape, dtype=torch.float64).to(dt)
            parts["gout"] = gout
            grads = torch.autograd.grad(y, ins, gout)
            for i, g in enumerate(grads):
                parts[f"grad_in{i}"] = g
        # one flat tensor per case (a small header): the parts in order, their shapes in the metadata
        tensors[name] = torch.cat([t.reshape(-1) for t in parts.values()]).contiguous()
        meta["parts." + name] = ";".join(k + "=" + ",".join(str(v) for v in t.shape) for k, t in parts.items())
    for i, (spec, extra) in enumerate(ERRORS):
        d = parse(spec)
        dt = DTYPES[d.get("dtype", "float64")]
        ins = [torch.zeros(ints(d["shape"]), dtype=dt)]
        if extra is not None:
            ins.append(torch.zeros(extra, dtype=DTYPES[d.get("griddtype", "float64")]))
            spec += ";grid=" + ",".join(str(v) for v in extra)
        try:
            call(spec, ins)
        except Exception as e:  # noqa: BLE001 - every kind of PyTorch error is recorded
            meta[f"err.{i}"] = spec
            meta[f"err.{i}.msg"] = str(e)
        else:
            raise AssertionError("no error for " + spec)
    for key, (arg, fn) in MODE_ERRORS.items():
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            meta["mode_err." + key] = arg
            meta["mode_err." + key + ".msg"] = str(e)
    save_file(tensors, os.path.join(OUT, "vision.safetensors"), metadata=meta)
    print(f"vision: {len(CASES)} cases, {len(ERRORS)} error messages")


if __name__ == "__main__":
    main()
