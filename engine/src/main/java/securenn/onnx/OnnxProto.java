package securenn.onnx;

import java.util.List;
import java.util.Map;

/**
 * The parts of ONNX's {@code onnx.proto} (IR version 3 and later) that model import and export need, as plain
 * records. {@link OnnxReader} decodes them from the protobuf wire format and {@link OnnxWriter} encodes them; field
 * numbers are those of onnx.proto and live beside each reader and writer. Fields we never use (doc strings, training
 * info, functions, sparse tensors) are skipped on reading and never written.
 */
public final class OnnxProto
{
    /** TensorProto.DataType values this code reads or writes. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int DOUBLE = 11;

    /** AttributeProto.AttributeType values. */
    public static final int ATTR_FLOAT = 1;
    public static final int ATTR_INT = 2;
    public static final int ATTR_STRING = 3;
    public static final int ATTR_TENSOR = 4;
    public static final int ATTR_FLOATS = 6;
    public static final int ATTR_INTS = 7;

    private OnnxProto()
    {
    }

    /** ModelProto: the file. {@code metadata} holds metadata_props (key → value). */
    public record Model(long irVersion, String producer, List<OpsetId> opsets, Graph graph, Map<String, String> metadata)
    {
    }

    public record OpsetId(String domain, long version)
    {
    }

    /** GraphProto. {@code inputs} may list initializers too (exporters before IR version 4 did). */
    public record Graph(String name, List<Node> nodes, List<Tensor> initializers, List<ValueInfo> inputs,
        List<ValueInfo> outputs)
    {
    }

    /** NodeProto; an empty input name is an omitted optional input. */
    public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        Map<String, Attribute> attributes)
    {
        /** How messages name this node: its name (or its first output when unnamed) and its op. */
        public String describe()
        {
            return "node '" + (name.isEmpty() ? (outputs.isEmpty() ? "?" : outputs.getFirst()) : name) + "' (" + opType + ")";
        }

        public Attribute attribute(final String key)
        {
            return attributes.get(key);
        }
    }

    /** AttributeProto, with the value in the field its type names. */
    public record Attribute(String name, int type, double f, long i, String s, Tensor t, double[] floats, long[] ints)
    {
        public static Attribute ofInt(final String name, final long v)
        {
            return new Attribute(name, ATTR_INT, 0, v, null, null, null, null);
        }

        public static Attribute ofInts(final String name, final long... v)
        {
            return new Attribute(name, ATTR_INTS, 0, 0, null, null, null, v);
        }

        public static Attribute ofFloat(final String name, final double v)
        {
            return new Attribute(name, ATTR_FLOAT, v, 0, null, null, null, null);
        }

        public static Attribute ofTensor(final String name, final Tensor t)
        {
            return new Attribute(name, ATTR_TENSOR, 0, 0, null, t, null, null);
        }
    }

    /**
     * TensorProto decoded to numbers: floating-point types in {@code values}, integer types in {@code longs} (the other
     * is null). External data and types other than float, double, int32 and int64 are refused by the reader.
     */
    public record Tensor(String name, long[] dims, int dataType, double[] values, long[] longs)
    {
        public long count()
        {
            long n = 1;
            for (final long d : dims)
            {
                n *= d;
            }
            return n;
        }

        public static Tensor floats(final String name, final long[] dims, final double[] values)
        {
            return new Tensor(name, dims, FLOAT, values, null);
        }

        public static Tensor int64s(final String name, final long[] dims, final long[] values)
        {
            return new Tensor(name, dims, INT64, null, values);
        }
    }

    /**
     * ValueInfoProto of a tensor type: element type and one entry per dimension, {@code dims[i]} the fixed size or -1
     * where the file gives a symbolic name ({@code params[i]}) or nothing. {@code dims} is null when the file gives no
     * shape at all.
     */
    public record ValueInfo(String name, int elemType, long[] dims, String[] params)
    {
    }
}
