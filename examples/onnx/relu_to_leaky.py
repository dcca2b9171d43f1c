"""Rewrites every Relu of an ONNX model as LeakyRelu(alpha=0): the same function, outside gonet's family."""
import sys
import onnx
from onnx import helper
m = onnx.load(sys.argv[1])
for n in m.graph.node:
    if n.op_type == "Relu":
        n.op_type = "LeakyRelu"
        n.attribute.append(helper.make_attribute("alpha", 0.0))
onnx.save(m, sys.argv[2])
