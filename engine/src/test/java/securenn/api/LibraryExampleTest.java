package securenn.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import securenn.nn.ModelFile;
import securenn.onnx.OnnxExporter;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example of docs/LIBRARY.md, compiled from the document and run: with an ONNX file exported from the bundled
 * network A model, its secure predictions of the 16 images must equal the plaintext model's.
 */
class LibraryExampleTest
{
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

    @Test
    void theDocumentedExampleShouldCompileRunAndAgreeWithThePlaintextModel(@TempDir final Path dir) throws Exception
    {
        final String doc = Files.readString(Path.of("..", "docs", "LIBRARY.md"));
        final Matcher block = JAVA_BLOCK.matcher(doc);
        assertTrue(block.find(), "docs/LIBRARY.md has no ```java block");
        final String source = block.group(1);
        final Matcher name = CLASS_NAME.matcher(source);
        assertTrue(name.find(), "the example declares no public class");
        final long lines = source.lines().count();
        assertTrue(lines <= 40, "the example should stay short but has " + lines + " lines");
        final Path src = dir.resolve(name.group(1) + ".java");
        Files.writeString(src, source);
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        final int rc = javac.run(null, diagnostics, diagnostics, "--add-modules", "jdk.incubator.vector", "-classpath",
            System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "the example of docs/LIBRARY.md does not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));

        final Path onnx = dir.resolve("A.onnx");
        OnnxExporter.write(ModelFile.bundled(), onnx);
        final String out = runMain(classes, name.group(1), onnx.toString());
        final List<String> found = out.lines().filter(l -> l.startsWith("secure:") || l.startsWith("plaintext:")).toList();
        assertEquals(2, found.size(), "the example printed:\n" + out);
        final String secure = found.get(0).substring("secure:".length()).trim();
        final String plain = found.get(1).substring("plaintext:".length()).trim();
        assertEquals(16, secure.split(",").length, "16 predictions expected: " + secure);
        assertEquals(plain, secure, "secure and plaintext predictions differ");
    }

    private static String runMain(final Path classes, final String mainClass, final String arg) throws Exception
    {
        final PrintStream saved = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, LibraryExampleTest.class.getClassLoader()))
        {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            loader.loadClass(mainClass).getMethod("main", String[].class).invoke(null, (Object)new String[]{arg});
        }
        finally
        {
            System.setOut(saved);
        }
        final String out = captured.toString(StandardCharsets.UTF_8);
        saved.print(out);
        return out;
    }
}
