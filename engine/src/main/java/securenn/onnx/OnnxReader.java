package securenn.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import securenn.onnx.OnnxProto.Attribute;
import securenn.onnx.OnnxProto.Graph;
import securenn.onnx.OnnxProto.Node;
import securenn.onnx.OnnxProto.OpsetId;
import securenn.onnx.OnnxProto.Tensor;
import securenn.onnx.OnnxProto.ValueInfo;

/**
 * Decodes an ONNX file with protobuf's {@link CodedInputStream}, message by message, by the field numbers of
 * onnx.proto (quoted beside each case). Repeated numbers are accepted packed or not, as protobuf parsers must.
 * Anything malformed (a truncated file, a wrong wire type, a file without a graph) fails with an {@link IOException}
 * naming the file.
 */
public final class OnnxReader
{
    private final String file;

    private OnnxReader(final String file)
    {
        this.file = file;
    }

    public static OnnxProto.Model read(final Path path) throws IOException
    {
        return read(Files.readAllBytes(path), path.toString());
    }

    public static OnnxProto.Model read(final byte[] bytes, final String name) throws IOException
    {
        final OnnxReader r = new OnnxReader(name);
        final OnnxProto.Model m;
        try
        {
            final CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            m = r.model(in);
        }
        catch (final com.google.protobuf.InvalidProtocolBufferException ex)
        {
            throw new IOException(name + ": not a readable ONNX model (protobuf: " + ex.getMessage() + ")", ex);
        }
        catch (final IllegalArgumentException | NegativeArraySizeException | ArithmeticException ex)
        {
            throw new IOException(name + ": not a readable ONNX model (" + ex.getMessage() + ")", ex);
        }
        if (m.graph() == null || m.irVersion() <= 0)
        {
            throw new IOException(name + ": not an ONNX model (" + (m.graph() == null ? "no graph" : "no IR version")
                + "; is it an ONNX file, complete?)");
        }
        return m;
    }

    private OnnxProto.Model model(final CodedInputStream in) throws IOException
    {
        long ir = 0;
        String producer = "";
        final List<OpsetId> opsets = new ArrayList<>();
        Graph graph = null;
        final Map<String, String> metadata = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> ir = varint(in, tag, "ModelProto.ir_version");
                case 2 -> producer = string(in, tag, "ModelProto.producer_name");
                case 7 -> graph = message(in, tag, "ModelProto.graph", this::graph);
                case 8 -> opsets.add(message(in, tag, "ModelProto.opset_import", this::opset));
                case 14 ->
                {
                    final String[] kv = message(in, tag, "ModelProto.metadata_props", this::keyValue);
                    metadata.put(kv[0], kv[1]);
                }
                default -> in.skipField(tag);
            }
        }
        return new OnnxProto.Model(ir, producer, List.copyOf(opsets), graph, metadata);
    }

    private OpsetId opset(final CodedInputStream in) throws IOException
    {
        String domain = "";
        long version = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> domain = string(in, tag, "OperatorSetIdProto.domain");
                case 2 -> version = varint(in, tag, "OperatorSetIdProto.version");
                default -> in.skipField(tag);
            }
        }
        return new OpsetId(domain, version);
    }

    private String[] keyValue(final CodedInputStream in) throws IOException
    {
        final String[] kv = {"", ""};
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> kv[0] = string(in, tag, "StringStringEntryProto.key");
                case 2 -> kv[1] = string(in, tag, "StringStringEntryProto.value");
                default -> in.skipField(tag);
            }
        }
        return kv;
    }

    private Graph graph(final CodedInputStream in) throws IOException
    {
        String name = "";
        final List<Node> nodes = new ArrayList<>();
        final List<Tensor> initializers = new ArrayList<>();
        final List<ValueInfo> inputs = new ArrayList<>();
        final List<ValueInfo> outputs = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> nodes.add(message(in, tag, "GraphProto.node", this::node));
                case 2 -> name = string(in, tag, "GraphProto.name");
                case 5 -> initializers.add(message(in, tag, "GraphProto.initializer", this::tensor));
                case 11 -> inputs.add(message(in, tag, "GraphProto.input", this::valueInfo));
                case 12 -> outputs.add(message(in, tag, "GraphProto.output", this::valueInfo));
                case 15 -> throw new IOException(file + ": graph holds a sparse initializer (not supported)");
                default -> in.skipField(tag);
            }
        }
        return new Graph(name, List.copyOf(nodes), List.copyOf(initializers), List.copyOf(inputs), List.copyOf(outputs));
    }

    private Node node(final CodedInputStream in) throws IOException
    {
        String name = "";
        String op = "";
        String domain = "";
        final List<String> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        final Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> inputs.add(string(in, tag, "NodeProto.input"));
                case 2 -> outputs.add(string(in, tag, "NodeProto.output"));
                case 3 -> name = string(in, tag, "NodeProto.name");
                case 4 -> op = string(in, tag, "NodeProto.op_type");
                case 5 ->
                {
                    final Attribute a = message(in, tag, "NodeProto.attribute", this::attribute);
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = string(in, tag, "NodeProto.domain");
                default -> in.skipField(tag);
            }
        }
        return new Node(name, op, domain, List.copyOf(inputs), List.copyOf(outputs), attributes);
    }

    private Attribute attribute(final CodedInputStream in) throws IOException
    {
        String name = "";
        int type = 0;
        double f = 0;
        long i = 0;
        String s = null;
        Tensor t = null;
        final List<Double> floats = new ArrayList<>();
        final List<Long> ints = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> name = string(in, tag, "AttributeProto.name");
                case 20 -> type = (int)varint(in, tag, "AttributeProto.type");
                case 2 -> f = fixed32Float(in, tag, "AttributeProto.f");
                case 3 -> i = varint(in, tag, "AttributeProto.i");
                case 4 -> s = string(in, tag, "AttributeProto.s");
                case 5 -> t = message(in, tag, "AttributeProto.t", this::tensor);
                case 7 -> repeatedFloat(in, tag, floats, "AttributeProto.floats");
                case 8 -> repeatedVarint(in, tag, ints, "AttributeProto.ints");
                default -> in.skipField(tag);
            }
        }
        return new Attribute(name, type, f, i, s, t, floats.stream().mapToDouble(Double::doubleValue).toArray(),
            ints.stream().mapToLong(Long::longValue).toArray());
    }

    private Tensor tensor(final CodedInputStream in) throws IOException
    {
        String name = "";
        int type = 0;
        final List<Long> dims = new ArrayList<>();
        final List<Double> floats = new ArrayList<>();
        final List<Long> ints = new ArrayList<>();
        byte[] raw = null;
        boolean external = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> repeatedVarint(in, tag, dims, "TensorProto.dims");
                case 2 -> type = (int)varint(in, tag, "TensorProto.data_type");
                case 4 -> repeatedFloat(in, tag, floats, "TensorProto.float_data");
                case 5, 7 -> repeatedVarint(in, tag, ints, "TensorProto.int32_data/int64_data");
                case 8 -> name = string(in, tag, "TensorProto.name");
                case 9 -> raw = bytes(in, tag, "TensorProto.raw_data");
                case 10 -> repeatedDouble(in, tag, floats, "TensorProto.double_data");
                case 13 -> external = true;
                case 14 -> external |= varint(in, tag, "TensorProto.data_location") == 1;
                default -> in.skipField(tag);
            }
        }
        if (external)
        {
            throw new IOException(file + ": tensor '" + name + "' keeps its data in an external file (not supported; "
                + "export with the weights inside the .onnx file)");
        }
        final long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        return decode(name, shape, type, raw, floats, ints);
    }

    private Tensor decode(final String name, final long[] dims, final int type, final byte[] raw, final List<Double> floats,
        final List<Long> ints) throws IOException
    {
        long count = 1;
        for (final long d : dims)
        {
            if (d < 0)
            {
                throw new IOException(file + ": tensor '" + name + "' has a negative dimension " + d);
            }
            count = Math.multiplyExact(count, d);
        }
        final int width = switch (type)
        {
            case OnnxProto.FLOAT, OnnxProto.INT32 -> 4;
            case OnnxProto.DOUBLE, OnnxProto.INT64 -> 8;
            default -> throw new IOException(file + ": tensor '" + name + "' has data type " + type
                + " (supported: 1 float, 6 int32, 7 int64, 11 double)");
        };
        final boolean isFloat = type == OnnxProto.FLOAT || type == OnnxProto.DOUBLE;
        final int stored = raw != null ? raw.length / width : isFloat ? floats.size() : ints.size();
        if ((raw != null && raw.length % width != 0) || stored != count)
        {
            throw new IOException(file + ": tensor '" + name + "' has shape " + java.util.Arrays.toString(dims) + " ("
                + count + " values) but holds " + (raw != null ? raw.length + " bytes of" : stored) + " values");
        }
        final int n = (int)count;
        if (raw == null)
        {
            return isFloat ? new Tensor(name, dims, type, floats.stream().mapToDouble(Double::doubleValue).toArray(), null)
                : new Tensor(name, dims, type, null, ints.stream().mapToLong(Long::longValue).toArray());
        }
        final ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (isFloat)
        {
            final double[] v = new double[n];
            for (int k = 0; k < n; k++)
            {
                v[k] = width == 4 ? buf.getFloat() : buf.getDouble();
            }
            return new Tensor(name, dims, type, v, null);
        }
        final long[] v = new long[n];
        for (int k = 0; k < n; k++)
        {
            v[k] = width == 4 ? buf.getInt() : buf.getLong();
        }
        return new Tensor(name, dims, type, null, v);
    }

    private ValueInfo valueInfo(final CodedInputStream in) throws IOException
    {
        String name = "";
        ValueInfo type = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> name = string(in, tag, "ValueInfoProto.name");
                case 2 -> type = message(in, tag, "ValueInfoProto.type", this::typeProto);
                default -> in.skipField(tag);
            }
        }
        return type == null ? new ValueInfo(name, 0, null, null) : new ValueInfo(name, type.elemType(), type.dims(), type.params());
    }

    /** TypeProto: only tensor_type (1) is kept, as a ValueInfo without a name. */
    private ValueInfo typeProto(final CodedInputStream in) throws IOException
    {
        ValueInfo t = new ValueInfo("", 0, null, null);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            if (WireFormat.getTagFieldNumber(tag) == 1)
            {
                t = message(in, tag, "TypeProto.tensor_type", this::tensorType);
            }
            else
            {
                in.skipField(tag);
            }
        }
        return t;
    }

    private ValueInfo tensorType(final CodedInputStream in) throws IOException
    {
        int elem = 0;
        List<Object> dims = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> elem = (int)varint(in, tag, "TypeProto.Tensor.elem_type");
                case 2 -> dims = message(in, tag, "TypeProto.Tensor.shape", this::shape);
                default -> in.skipField(tag);
            }
        }
        if (dims == null)
        {
            return new ValueInfo("", elem, null, null);
        }
        final long[] sizes = new long[dims.size()];
        final String[] params = new String[dims.size()];
        for (int k = 0; k < sizes.length; k++)
        {
            sizes[k] = dims.get(k) instanceof Long v ? v : -1;
            params[k] = dims.get(k) instanceof String p ? p : null;
        }
        return new ValueInfo("", elem, sizes, params);
    }

    /** TensorShapeProto: each Dimension as a Long (dim_value, 1), a String (dim_param, 2) or "" (neither). */
    private List<Object> shape(final CodedInputStream in) throws IOException
    {
        final List<Object> dims = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            if (WireFormat.getTagFieldNumber(tag) == 1)
            {
                dims.add(message(in, tag, "TensorShapeProto.dim", this::dimension));
            }
            else
            {
                in.skipField(tag);
            }
        }
        return dims;
    }

    private Object dimension(final CodedInputStream in) throws IOException
    {
        Object d = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag())
        {
            switch (WireFormat.getTagFieldNumber(tag))
            {
                case 1 -> d = varint(in, tag, "Dimension.dim_value");
                case 2 -> d = string(in, tag, "Dimension.dim_param");
                default -> in.skipField(tag);
            }
        }
        return d;
    }

    // --- wire helpers: each checks the wire type, so a non-ONNX file fails instead of decoding nonsense

    @FunctionalInterface
    private interface Parser<T>
    {
        T parse(CodedInputStream in) throws IOException;
    }

    private <T> T message(final CodedInputStream in, final int tag, final String field, final Parser<T> parser)
        throws IOException
    {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        final int length = in.readRawVarint32();
        if (length < 0 || length > in.getBytesUntilLimit() && in.getBytesUntilLimit() >= 0)
        {
            throw new IOException(file + ": " + field + " claims " + length + " bytes but the file ends sooner (truncated?)");
        }
        final int old = in.pushLimit(length);
        final T value = parser.parse(in);
        in.checkLastTagWas(0);
        in.popLimit(old);
        return value;
    }

    private long varint(final CodedInputStream in, final int tag, final String field) throws IOException
    {
        expect(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readInt64();
    }

    private String string(final CodedInputStream in, final int tag, final String field) throws IOException
    {
        return new String(bytes(in, tag, field), StandardCharsets.UTF_8);
    }

    private byte[] bytes(final CodedInputStream in, final int tag, final String field) throws IOException
    {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        return in.readByteArray();
    }

    private double fixed32Float(final CodedInputStream in, final int tag, final String field) throws IOException
    {
        expect(tag, WireFormat.WIRETYPE_FIXED32, field);
        return in.readFloat();
    }

    private void repeatedVarint(final CodedInputStream in, final int tag, final List<Long> out, final String field)
        throws IOException
    {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED)
        {
            final int old = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0)
            {
                out.add(in.readInt64());
            }
            in.popLimit(old);
            return;
        }
        out.add(varint(in, tag, field));
    }

    private void repeatedFloat(final CodedInputStream in, final int tag, final List<Double> out, final String field)
        throws IOException
    {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED)
        {
            final int old = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0)
            {
                out.add((double)in.readFloat());
            }
            in.popLimit(old);
            return;
        }
        out.add(fixed32Float(in, tag, field));
    }

    private void repeatedDouble(final CodedInputStream in, final int tag, final List<Double> out, final String field)
        throws IOException
    {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED)
        {
            final int old = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0)
            {
                out.add(in.readDouble());
            }
            in.popLimit(old);
            return;
        }
        expect(tag, WireFormat.WIRETYPE_FIXED64, field);
        out.add(in.readDouble());
    }

    private void expect(final int tag, final int wireType, final String field) throws IOException
    {
        if (WireFormat.getTagWireType(tag) != wireType)
        {
            throw new IOException(file + ": " + field + " has wire type " + WireFormat.getTagWireType(tag) + ", expected "
                + wireType + " (not an ONNX file, or a damaged one)");
        }
    }
}
