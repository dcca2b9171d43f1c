"""Writes ONNX graphs that split channels, as PyTorch exports MixConv and channel slices.

usage: split_graph.py OUT_DIR   (writes mixconv-graph.onnx and mixconv-family.onnx)

- mixconv-graph.onnx (outside gonet's family): a 3x3 convolution to 7 channels, Split into 3, 2
  and 2 channels (opset 13's sizes input), depthwise 3x3, 5x5 and 3x3 convolutions with biases,
  Concat, Relu, a gate of the channels' means through a Gemm and a Sigmoid, brought to
  [N, 7, 1, 1] by two Unsqueezes (axes 2, then −1: PyTorch's `g[:, :, None, None]`) and
  multiplied in, a Slice of channels 2 to the end (PyTorch's x[:, 2:], its end INT64_MAX), a mean
  over the board, a Gemm policy and a Gemm + Tanh value;
- mixconv-family.onnx: gonet's mobile family with mixed depthwise filters as PyTorch exports it in
  eval mode: batch norms folded into convolution biases, no BatchNormalization node, the Split's
  sizes as an input;
- mixconv-sliced.onnx: the same network with the MixConv written as slices (`x[:, :4]` and
  `x[:, 4:]`, exported as two Slice nodes, the second ending at INT64_MAX).
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(11)
inits = []
nodes = []


def const(name, array, dtype=np.float32):
    inits.append(numpy_helper.from_array(np.asarray(array, dtype=dtype), name))
    return name


def weight(name, shape, scale=0.3):
    return const(name, rng.normal(0, scale, size=shape))


def conv(x, name, cin, cout, k, group=1, bias=True):
    inputs = [x, weight(name + ".w", (cout, cin // group, k, k))]
    if bias:
        inputs.append(weight(name + ".b", (cout,), 0.1))
    nodes.append(
        helper.make_node("Conv", inputs, [name], kernel_shape=[k, k], pads=[k // 2] * 4, group=group, name=name)
    )
    return name


def op(kind, inputs, name, **attrs):
    nodes.append(helper.make_node(kind, inputs, [name], name=name, **attrs))
    return name


def sliced_mixconv(x, name, channels, kernels, sizes):
    # The 5x5 part first in the graph: the order of the slices in the file does not matter.
    parts = []
    for i, (s, k) in reversed(list(enumerate(zip(sizes, kernels)))):
        start = sum(sizes[:i])
        end = 2**63 - 1 if i == len(sizes) - 1 else start + s
        bounds = [const(f"{name}.{i}.{b}", [v], np.int64) for b, v in (("starts", start), ("ends", end), ("axes", 1))]
        parts.insert(0, conv(op("Slice", [x] + bounds, f"{name}.slice{i}"), f"{name}.{i}", s, s, k, group=s))
    return op("Concat", parts, name + ".concat", axis=1)


def mixconv(x, name, channels, kernels, sizes):
    parts = [f"{name}.part{i}" for i in range(len(sizes))]
    split = const(name + ".sizes", sizes, np.int64)
    nodes.append(helper.make_node("Split", [x, split], parts, axis=1, name=name + ".split"))
    convs = [conv(p, f"{name}.{i}", s, s, k, group=s) for i, (p, s, k) in enumerate(zip(parts, sizes, kernels))]
    return op("Concat", convs, name + ".concat", axis=1)


def heads(x, channels):
    mean = op("ReduceMean", [x], "mean", axes=[2, 3], keepdims=0)
    op("Gemm", [mean, weight("policy.w", (362, channels)), weight("policy.b", (362,))], "policy", transB=1)
    v = op("Gemm", [mean, weight("value.w", (1, channels)), weight("value.b", (1,))], "value.pre", transB=1)
    op("Tanh", [v], "value")


def save(path):
    graph = helper.make_graph(
        nodes,
        "split",
        [helper.make_tensor_value_info("planes", TensorProto.FLOAT, ["N", 6, 19, 19])],
        [
            helper.make_tensor_value_info("policy", TensorProto.FLOAT, ["N", 362]),
            helper.make_tensor_value_info("value", TensorProto.FLOAT, ["N", 1]),
        ],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def family(mix):
    t = op("Relu", [conv("planes", "stem", 6, 4, 3)], "stem.relu")
    e = op("Relu", [conv(t, "expand", 4, 7, 1)], "expand.relu")
    d = op("Relu", [mix(e, "dw", 7, [3, 5], [4, 3])], "dw.relu")
    p = conv(d, "project", 7, 4, 1)
    t = op("Add", [t, p], "add")
    ph = op("Relu", [conv(t, "pconv", 4, 2, 1)], "pconv.relu")
    pf = op("Flatten", [ph], "pflat", axis=1)
    op("Gemm", [pf, weight("policy.w", (362, 722), 0.05), weight("policy.b", (362,))], "policy", transB=1)
    vh = op("Relu", [conv(t, "vconv", 4, 1, 1)], "vconv.relu")
    vf = op("Flatten", [vh], "vflat", axis=1)
    v1 = op("Relu", [op("Gemm", [vf, weight("v1.w", (3, 361), 0.05), weight("v1.b", (3,))], "v1", transB=1)], "v1.relu")
    v2 = op("Gemm", [v1, weight("v2.w", (1, 3)), weight("v2.b", (1,))], "v2", transB=1)
    op("Tanh", [v2], "value")


stem = conv("planes", "stem", 6, 7, 3)
mixed = mixconv(stem, "mix", 7, [3, 5, 3], [3, 2, 2])
relu = op("Relu", [mixed], "relu")
squeezed = op("ReduceMean", [relu], "gate.mean", axes=[2, 3], keepdims=0)
gate = op("Sigmoid", [op("Gemm", [squeezed, weight("gate.w", (7, 7)), weight("gate.b", (7,))], "gate.fc", transB=1)],
          "gate.sigmoid")
column = op("Unsqueeze", [gate, const("gate.axis2", [2], np.int64)], "gate.column")
pixel = op("Unsqueeze", [column, const("gate.axis3", [-1], np.int64)], "gate.pixel")
relu = op("Mul", [relu, pixel], "gated")
starts, ends, axes = const("s.starts", [2], np.int64), const("s.ends", [2**63 - 1], np.int64), const("s.axes", [1], np.int64)
sliced = op("Slice", [relu, starts, ends, axes], "slice")
heads(sliced, 5)
save(f"{out}/mixconv-graph.onnx")

# gonet's mobile family, one block of 4 channels expanded to 7, folded batch norms; the MixConv
# as a Split, then as two Slices.
for kind in ("family", "sliced"):
    inits.clear()
    nodes.clear()
    family(mixconv if kind == "family" else sliced_mixconv)
    save(f"{out}/mixconv-{kind}.onnx")
