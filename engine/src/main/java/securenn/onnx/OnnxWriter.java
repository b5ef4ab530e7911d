package securenn.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import securenn.onnx.OnnxProto.Attribute;
import securenn.onnx.OnnxProto.Graph;
import securenn.onnx.OnnxProto.Node;
import securenn.onnx.OnnxProto.OpsetId;
import securenn.onnx.OnnxProto.Tensor;
import securenn.onnx.OnnxProto.ValueInfo;

/**
 * Encodes {@link OnnxProto} records in the protobuf wire format with {@link CodedOutputStream}, by onnx.proto's field
 * numbers (the same ones {@link OnnxReader} reads). Tensors are written as raw_data (float32 or int64, little-endian);
 * a nested message is encoded into its own buffer first, since its length precedes it.
 */
public final class OnnxWriter
{
    private OnnxWriter()
    {
    }

    public static byte[] write(final OnnxProto.Model m) throws IOException
    {
        final ByteString bytes = encode(out ->
        {
            out.writeInt64(1, m.irVersion());
            out.writeString(2, m.producer());
            out.writeBytes(7, encode(g -> graph(g, m.graph())));
            for (final OpsetId o : m.opsets())
            {
                out.writeBytes(8, encode(x ->
                {
                    x.writeString(1, o.domain());
                    x.writeInt64(2, o.version());
                }));
            }
            for (final Map.Entry<String, String> e : m.metadata().entrySet())
            {
                out.writeBytes(14, encode(x ->
                {
                    x.writeString(1, e.getKey());
                    x.writeString(2, e.getValue());
                }));
            }
        });
        return bytes.toByteArray();
    }

    private static void graph(final CodedOutputStream out, final Graph g) throws IOException
    {
        for (final Node n : g.nodes())
        {
            out.writeBytes(1, encode(x -> node(x, n)));
        }
        out.writeString(2, g.name());
        for (final Tensor t : g.initializers())
        {
            out.writeBytes(5, encode(x -> tensor(x, t)));
        }
        for (final ValueInfo v : g.inputs())
        {
            out.writeBytes(11, encode(x -> valueInfo(x, v)));
        }
        for (final ValueInfo v : g.outputs())
        {
            out.writeBytes(12, encode(x -> valueInfo(x, v)));
        }
    }

    private static void node(final CodedOutputStream out, final Node n) throws IOException
    {
        for (final String i : n.inputs())
        {
            out.writeString(1, i);
        }
        for (final String o : n.outputs())
        {
            out.writeString(2, o);
        }
        out.writeString(3, n.name());
        out.writeString(4, n.opType());
        for (final Attribute a : n.attributes().values())
        {
            out.writeBytes(5, encode(x -> attribute(x, a)));
        }
        if (!n.domain().isEmpty())
        {
            out.writeString(7, n.domain());
        }
    }

    private static void attribute(final CodedOutputStream out, final Attribute a) throws IOException
    {
        out.writeString(1, a.name());
        switch (a.type())
        {
            case OnnxProto.ATTR_FLOAT -> out.writeFloat(2, (float)a.f());
            case OnnxProto.ATTR_INT -> out.writeInt64(3, a.i());
            case OnnxProto.ATTR_STRING -> out.writeString(4, a.s());
            case OnnxProto.ATTR_TENSOR -> out.writeBytes(5, encode(x -> tensor(x, a.t())));
            case OnnxProto.ATTR_FLOATS ->
            {
                for (final double f : a.floats())
                {
                    out.writeFloat(7, (float)f);
                }
            }
            case OnnxProto.ATTR_INTS ->
            {
                for (final long i : a.ints())
                {
                    out.writeInt64(8, i);
                }
            }
            default -> throw new IllegalArgumentException("attribute " + a.name() + " has type " + a.type());
        }
        out.writeInt32(20, a.type());
    }

    private static void tensor(final CodedOutputStream out, final Tensor t) throws IOException
    {
        for (final long d : t.dims())
        {
            out.writeInt64(1, d);
        }
        out.writeInt32(2, t.dataType());
        out.writeString(8, t.name());
        final int n = (int)t.count();
        final ByteBuffer raw;
        switch (t.dataType())
        {
            case OnnxProto.FLOAT ->
            {
                raw = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (final double v : t.values())
                {
                    raw.putFloat((float)v);
                }
            }
            case OnnxProto.INT64 ->
            {
                raw = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (final long v : t.longs())
                {
                    raw.putLong(v);
                }
            }
            default -> throw new IllegalArgumentException("tensor " + t.name() + ": data type " + t.dataType());
        }
        out.writeBytes(9, ByteString.copyFrom(raw.array()));
    }

    private static void valueInfo(final CodedOutputStream out, final ValueInfo v) throws IOException
    {
        out.writeString(1, v.name());
        out.writeBytes(2, encode(type -> type.writeBytes(1, encode(tensor ->
        {
            tensor.writeInt32(1, v.elemType());
            tensor.writeBytes(2, encode(shape ->
            {
                for (int k = 0; k < v.dims().length; k++)
                {
                    final int d = k;
                    shape.writeBytes(1, encode(dim ->
                    {
                        if (v.dims()[d] >= 0)
                        {
                            dim.writeInt64(1, v.dims()[d]);
                        }
                        else
                        {
                            dim.writeString(2, v.params()[d]);
                        }
                    }));
                }
            }));
        }))));
    }

    @FunctionalInterface
    private interface Body
    {
        void write(CodedOutputStream out) throws IOException;
    }

    private static ByteString encode(final Body body) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        body.write(out);
        out.flush();
        return ByteString.copyFrom(bytes.toByteArray());
    }
}
