"""Makes the ONNX fixtures of Tests/ONNXTests (run once; the .onnx files are committed).

    .venv-torch/bin/python Tests/ONNXTests/Fixtures/make_fixtures.py Tests/ONNXTests/Fixtures

- torch-resnet.onnx: a PyTorch resnet (2 blocks of 8, fc policy head, fc value head), exported in
  eval mode by torch.onnx.export (batch norms folded into convolution biases by the exporter);
- torch-mobile.onnx: a PyTorch mobile network (depthwise convolutions, conv policy head, pool value
  head), exported the same way;
- keras-nhwc.onnx: the graph tf2onnx writes for a Keras model, built with the onnx package: NHWC
  input and a Transpose, BatchNormalization with Keras's ε = 1e-3, MatMul + Add dense layers, a
  channels-last Flatten, GlobalAveragePool, a Softmax policy and a Sigmoid value;
- leaky.onnx: keras-nhwc with LeakyRelu for every Relu (outside gonet's family: a graph network);
- torch-zoo.onnx: a PyTorch network outside gonet's family: LeakyReLU, Hardswish, ReLU6 (Clip),
  SiLU (Sigmoid and Mul), squeeze-and-excitation (GlobalAveragePool, 1x1 convolutions, Hardsigmoid,
  a broadcast Mul), MaxPool and AvgPool concatenated, a batch norm after an addition, a Softmax
  policy and a Sigmoid value;
- keras-zoo.onnx: a tf2onnx-shaped graph outside the family: NHWC, HardSigmoid, swish, AveragePool
  (count_include_pad 1), a Reshape flatten after a Transpose, a Gemm with alpha and beta, a linear
  value (imported with --value tanh) and a policy of logits;
- unsupported.onnx: keras-zoo with an Erf (refused, naming the node);
- tiny-graph.onnx: a few kilobytes outside the family (LeakyRelu, HardSwish, squeeze-and-excitation,
  MaxPool, a conv policy head with its pass logit), the seed of the ONNX and network fuzz targets.
"""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
torch.manual_seed(7)


def randomize_bn(module):
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.3, 0.3)


class ResNet(nn.Module):
    def __init__(self, f=8, blocks=2):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(6, f, 3, padding=1, bias=False), nn.BatchNorm2d(f), nn.ReLU())
        self.blocks = nn.ModuleList(
            nn.ModuleList([nn.Conv2d(f, f, 3, padding=1, bias=False), nn.BatchNorm2d(f),
                           nn.Conv2d(f, f, 3, padding=1, bias=False), nn.BatchNorm2d(f)]) for _ in range(blocks))
        self.pconv, self.pbn, self.pfc = nn.Conv2d(f, 1, 1, bias=False), nn.BatchNorm2d(1), nn.Linear(361, 362)
        self.vconv, self.vbn = nn.Conv2d(f, 1, 1, bias=False), nn.BatchNorm2d(1)
        self.vfc1, self.vfc2 = nn.Linear(361, 16), nn.Linear(16, 1)

    def forward(self, x):
        x = self.stem(x)
        for c1, b1, c2, b2 in self.blocks:
            x = F.relu(x + b2(c2(F.relu(b1(c1(x))))))
        p = self.pfc(torch.flatten(F.relu(self.pbn(self.pconv(x))), 1))
        v = torch.flatten(F.relu(self.vbn(self.vconv(x))), 1)
        return p, torch.tanh(self.vfc2(F.relu(self.vfc1(v))))


class Mobile(nn.Module):
    def __init__(self, f=8, e=24, blocks=2):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(6, f, 3, padding=1, bias=False), nn.BatchNorm2d(f), nn.ReLU())
        self.blocks = nn.ModuleList(nn.Sequential(
            nn.Conv2d(f, e, 1, bias=False), nn.BatchNorm2d(e), nn.ReLU(),
            nn.Conv2d(e, e, 3, padding=1, groups=e, bias=False), nn.BatchNorm2d(e), nn.ReLU(),
            nn.Conv2d(e, f, 1, bias=False), nn.BatchNorm2d(f)) for _ in range(blocks))
        self.pconv, self.pbn = nn.Conv2d(f, 3, 1, bias=False), nn.BatchNorm2d(3)
        self.pout, self.ppass = nn.Conv2d(3, 1, 1), nn.Linear(3, 1)
        self.vconv, self.vbn = nn.Conv2d(f, 2, 1, bias=False), nn.BatchNorm2d(2)
        self.vfc1, self.vfc2 = nn.Linear(2, 8), nn.Linear(8, 1)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = x + b(x)
        h = F.relu(self.pbn(self.pconv(x)))
        p = torch.cat([torch.flatten(self.pout(h), 1), self.ppass(h.mean(dim=(2, 3)))], dim=1)
        v = F.relu(self.vbn(self.vconv(x))).mean(dim=(2, 3))
        return p, torch.tanh(self.vfc2(F.relu(self.vfc1(v))))


class Zoo(nn.Module):
    """Layers students use that gonet's family does not have."""

    def __init__(self, f=8, e=16):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(6, f, 3, padding=1, bias=False), nn.BatchNorm2d(f), nn.LeakyReLU(0.1))
        self.expand = nn.Sequential(nn.Conv2d(f, e, 1, bias=False), nn.BatchNorm2d(e), nn.Hardswish())
        self.dw = nn.Sequential(nn.Conv2d(e, e, 3, padding=1, groups=e, bias=False), nn.BatchNorm2d(e), nn.ReLU6())
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(e, 4, 1), nn.ReLU(), nn.Conv2d(4, e, 1),
                                nn.Hardsigmoid())
        self.project = nn.Sequential(nn.Conv2d(e, f, 1, bias=False), nn.BatchNorm2d(f))
        self.c3 = nn.Conv2d(f, f, 3, padding=1)
        self.merge = nn.Conv2d(3 * f, f, 1)
        self.post = nn.BatchNorm2d(f)
        self.pconv = nn.Conv2d(f, 2, 1)
        self.pfc = nn.Linear(2 * 361, 362)
        self.vfc1, self.vfc2 = nn.Linear(f, 8), nn.Linear(8, 1)

    def forward(self, x):
        x = self.stem(x)
        h = self.dw(self.expand(x))
        x = x + self.project(h * self.se(h))
        s = self.c3(x)
        s = s * torch.sigmoid(s)
        cat = torch.cat([s, F.max_pool2d(x, 3, 1, 1), F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)], dim=1)
        x = self.post(x + self.merge(cat))
        p = F.softmax(self.pfc(torch.flatten(F.leaky_relu(self.pconv(x), 0.2), 1)), dim=1)
        v = torch.sigmoid(self.vfc2(F.hardswish(self.vfc1(x.mean(dim=(2, 3))))))
        return p, v


for name, net in [("torch-resnet", ResNet()), ("torch-mobile", Mobile()), ("torch-zoo", Zoo())]:
    randomize_bn(net)
    net.eval()
    torch.onnx.export(net, (torch.zeros(1, 6, 19, 19),), os.path.join(out, name + ".onnx"),
                      input_names=["planes"], output_names=["policy", "value"],
                      dynamic_axes={"planes": {0: "N"}, "policy": {0: "N"}, "value": {0: "N"}},
                      opset_version=17, dynamo=False)

rng = np.random.default_rng(3)


def constants(inits):
    """A function that adds a float32 initializer to `inits` and returns its name."""
    def const(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array, dtype=np.float32), name))
        return name
    return const


def model_of(nodes, inits, name, planes, planes_shape, opset, producer):
    """The checked model of a graph whose outputs are gonet's: policy [N, 362] and value [N, 1]."""
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info(planes, TensorProto.FLOAT, planes_shape)],
        [helper.make_tensor_value_info("policy", TensorProto.FLOAT, ["N", 362]),
         helper.make_tensor_value_info("value", TensorProto.FLOAT, ["N", 1])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name=producer)
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def keras_like(leaky=False):
    f, p, h = 6, 1, 8
    nodes, inits = [], []

    const = constants(inits)

    def bn(x, name, c):
        nodes.append(helper.make_node(
            "BatchNormalization",
            [x, const(name + "/gamma", rng.uniform(0.5, 1.5, c)), const(name + "/beta", rng.uniform(-0.3, 0.3, c)),
             const(name + "/mean", rng.uniform(-0.5, 0.5, c)), const(name + "/var", rng.uniform(0.5, 1.5, c))],
            [name + ":0"], name=name, epsilon=1e-3))
        return name + ":0"

    def conv(x, name, cin, cout, k):
        w = const(name + "/kernel", rng.normal(0, 0.3, (cout, cin, k, k)))
        nodes.append(helper.make_node("Conv", [x, w], [name + ":0"], name=name, kernel_shape=[k, k],
                                      pads=[k // 2] * 4, strides=[1, 1]))
        return name + ":0"

    def relu(x, name):
        nodes.append(helper.make_node("LeakyRelu" if leaky else "Relu", [x], [name + ":0"], name=name))
        return name + ":0"

    def dense(x, name, cin, cout):
        nodes.append(helper.make_node("MatMul", [x, const(name + "/kernel", rng.normal(0, 0.3, (cin, cout)))],
                                      [name + "/mm:0"], name=name + "/MatMul"))
        nodes.append(helper.make_node("Add", [name + "/mm:0", const(name + "/bias", rng.normal(0, 0.1, cout))],
                                      [name + ":0"], name=name + "/BiasAdd"))
        return name + ":0"

    nodes.append(helper.make_node("Transpose", ["input_1"], ["nchw"], name="transpose_input", perm=[0, 3, 1, 2]))
    x = relu(bn(conv("nchw", "stem_conv", 6, f, 3), "stem_bn", f), "stem_relu")
    if leaky:
        nodes[-1].name = "stem_relu"
    relu_fn = relu
    y = bn(conv(relu_fn(bn(conv(x, "b0_conv1", f, f, 3), "b0_bn1", f), "b0_relu1"), "b0_conv2", f, f, 3), "b0_bn2", f)
    nodes.append(helper.make_node("Add", [x, y], ["b0_add:0"], name="b0_add"))
    nodes.append(helper.make_node("Relu", ["b0_add:0"], ["b0_out:0"], name="b0_out"))
    t = "b0_out:0"
    ph = relu_fn(bn(conv(t, "policy_conv", f, p, 1), "policy_bn", p), "policy_relu")
    nodes.append(helper.make_node("Transpose", [ph], ["policy_nhwc:0"], name="policy_nhwc", perm=[0, 2, 3, 1]))
    nodes.append(helper.make_node("Flatten", ["policy_nhwc:0"], ["policy_flat:0"], name="policy_flatten", axis=1))
    logits = dense("policy_flat:0", "policy_dense", p * 361, 362)
    nodes.append(helper.make_node("Softmax", [logits], ["policy"], name="policy_softmax", axis=-1))
    vh = relu_fn(bn(conv(t, "value_conv", f, 2, 1), "value_bn", 2), "value_relu")
    nodes.append(helper.make_node("GlobalAveragePool", [vh], ["value_gap:0"], name="value_gap"))
    nodes.append(helper.make_node("Flatten", ["value_gap:0"], ["value_flat:0"], name="value_flatten", axis=1))
    v1 = dense("value_flat:0", "value_dense1", 2, h)
    nodes.append(helper.make_node("Relu", [v1], ["value_relu1:0"], name="value_relu1"))
    v2 = dense("value_relu1:0", "value_dense2", h, 1)
    nodes.append(helper.make_node("Sigmoid", [v2], ["value"], name="value_sigmoid"))
    return model_of(nodes, inits, "keras", "input_1", ["N", 19, 19, 6], opset=13, producer="tf2onnx-like")


def keras_zoo(unsupported=False):
    f = 6
    nodes, inits = [], []

    const = constants(inits)

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name + ":0"], name=name, **attrs))
        return name + ":0"

    def conv(x, name, cin, cout, k):
        return node("Conv", [x, const(name + "/kernel", rng.normal(0, 0.3, (cout, cin, k, k))),
                             const(name + "/bias", rng.normal(0, 0.1, cout))], name, kernel_shape=[k, k],
                    pads=[k // 2] * 4)

    x = node("Transpose", ["input_1"], "transpose_input", perm=[0, 3, 1, 2])
    x = node("HardSigmoid", [conv(x, "stem", 6, f, 3)], "stem_hsig", alpha=0.25, beta=0.4)
    y = conv(x, "b_conv", f, f, 3)
    y = node("Mul", [y, node("Sigmoid", [y], "b_sig")], "b_swish")
    if unsupported:
        y = node("Erf", [y], "b_erf")
    y = node("AveragePool", [y], "b_pool", kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1)
    x = node("Add", [x, y], "b_add")
    x = node("Mul", [x, const("b_scale", rng.uniform(0.5, 1.5, (f, 1, 1)))], "b_channel_scale")
    p = node("Relu", [conv(x, "policy_conv", f, 2, 1)], "policy_relu")
    p = node("Transpose", [p], "policy_nhwc", perm=[0, 2, 3, 1])
    inits.append(numpy_helper.from_array(np.asarray([-1, 2 * 361], dtype=np.int64), "policy_shape"))
    p = node("Reshape", [p, "policy_shape"], "policy_flat")
    nodes.append(helper.make_node("Gemm", [p, const("policy_w", rng.normal(0, 0.1, (362, 2 * 361))),
                                           const("policy_b", rng.normal(0, 0.1, 362))], ["policy"],
                                  name="policy_gemm", transB=1, alpha=0.5, beta=2.0))
    v = node("ReduceMean", [x], "value_mean", axes=[2, 3], keepdims=0)
    nodes.append(helper.make_node("Gemm", [v, const("value_w", rng.normal(0, 0.2, (f, 1)))], ["value"],
                                  name="value_gemm"))
    return model_of(nodes, inits, "keras-zoo", "input_1", ["N", 19, 19, 6], opset=13, producer="tf2onnx-like")


def tiny_graph():
    nodes, inits = [], []

    const = constants(inits)

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    x = node("Conv", ["planes", const("w0", rng.normal(0, 0.3, (3, 6, 3, 3)))], "stem", kernel_shape=[3, 3],
             pads=[1, 1, 1, 1])
    x = node("LeakyRelu", [x], "stem_act", alpha=0.1)
    h = node("HardSwish", [node("Conv", [x, const("w1", rng.normal(0, 0.3, (3, 3, 1, 1)))], "c1")], "c1_act")
    se = node("Sigmoid", [node("Conv", [node("GlobalAveragePool", [h], "gap"), const("w2", rng.normal(0, 0.3, (3, 3, 1, 1))),
                                        const("b2", rng.normal(0, 0.1, 3))], "se_fc")], "se_gate")
    x = node("Add", [x, node("MaxPool", [node("Mul", [h, se], "se_mul")], "pool", kernel_shape=[3, 3],
                                 pads=[1, 1, 1, 1])], "sum")
    board = node("Flatten", [node("Conv", [x, const("w3", rng.normal(0, 0.3, (1, 3, 1, 1)))], "board")], "board_flat")
    m = node("ReduceMean", [x], "mean", axes=[2, 3], keepdims=0)
    passed = node("Gemm", [m, const("wp", rng.normal(0, 0.3, (1, 3))), const("bp", [0.1])], "pass", transB=1)
    node("Concat", [board, passed], "policy", axis=1)
    node("Tanh", [node("Gemm", [m, const("wv", rng.normal(0, 0.3, (1, 3)))], "value_fc", transB=1)], "value")
    return model_of(nodes, inits, "tiny", "planes", ["N", 6, 19, 19], opset=17, producer="gonet-fixture")


onnx.save(tiny_graph(), os.path.join(out, "tiny-graph.onnx"))
onnx.save(keras_zoo(), os.path.join(out, "keras-zoo.onnx"))
onnx.save(keras_zoo(unsupported=True), os.path.join(out, "unsupported.onnx"))
onnx.save(keras_like(), os.path.join(out, "keras-nhwc.onnx"))
onnx.save(keras_like(leaky=True), os.path.join(out, "leaky.onnx"))
print("wrote", sorted(f for f in os.listdir(out) if f.endswith(".onnx")))
