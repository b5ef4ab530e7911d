package securenn.mpc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret is split with a non-cryptographic generator: the main sources of every module use {@link SecretSplitter}
 * (AES-CTR) or {@link java.security.SecureRandom}, and {@code SplittableRandom}, {@code java.util.Random},
 * {@code ThreadLocalRandom}, {@code Math.random} and the {@code java.util.random} generators appear in code only in
 * the files of {@link #ALLOWED}, each for a stated non-secret use. Comments and string literals are not code here.
 */
class SecretRandomnessPolicyTest
{
    /** Files allowed a non-cryptographic generator, with the reason: none of them splits a secret. */
    static final Map<String, String> ALLOWED = Map.of(
        "engine/src/main/java/securenn/nn/Model.java",
        "He initialisation from a seed: the model owner's plaintext starting point, split with SecretSplitter afterwards",
        "engine/src/main/java/securenn/nn/FloatNetwork.java",
        "the model owner's own plaintext float training: the order of its batches",
        "engine/src/main/java/securenn/train/BatchOrder.java",
        "train's batch order, public and reproducible from --seed",
        "vector-kernels/src/main/java/securenn/kernels/KernelSelfCheck.java",
        "random test data for checking vector kernels against their scalar twins",
        "jmh/src/main/java/securenn/bench/kernels/BenchData.java",
        "random benchmark inputs",
        "jmh/src/main/java/securenn/bench/serve/SoakBench.java",
        "how many requests each soak-test client sends before it reconnects");

    private static final Pattern FORBIDDEN = Pattern.compile(
        "\\bSplittableRandom\\b|\\bThreadLocalRandom\\b|\\bjava\\.util\\.Random\\b|\\bnew\\s+Random\\s*\\(|\\bMath\\s*\\.\\s*random\\s*\\("
            + "|\\bRandomGenerator(Factory)?\\b|\\bjava\\.util\\.random\\b|\\bimport\\s+java\\.util\\.\\*");

    @Test
    void shouldSplitSecretsOnlyWithACryptographicGenerator() throws IOException
    {
        final Path root = repositoryRoot();
        final List<String> violations = new ArrayList<>();
        final Map<String, Boolean> allowedSeen = new TreeMap<>();
        ALLOWED.keySet().forEach(f -> allowedSeen.put(f, false));
        try (Stream<Path> modules = Files.list(root))
        {
            for (final Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).sorted().toList())
            {
                try (Stream<Path> files = Files.walk(main))
                {
                    for (final Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList())
                    {
                        final String name = root.relativize(file).toString().replace('\\', '/');
                        final List<String> hits = scan(name, Files.readAllLines(file));
                        if (ALLOWED.containsKey(name))
                        {
                            allowedSeen.put(name, !hits.isEmpty());
                        }
                        else
                        {
                            violations.addAll(hits);
                        }
                    }
                }
            }
        }
        assertThat(violations).as("non-cryptographic randomness outside the allow-list of %s: a secret (weights, "
            + "checkpoints, images, labels, client inputs) must be split with SecretSplitter; a use that splits no secret "
            + "goes on the allow-list with its reason", getClass().getSimpleName()).isEmpty();
        assertThat(allowedSeen).as("allow-list entries whose file no longer uses such a generator (remove them)")
            .doesNotContainValue(false);
    }

    @Test
    void scannerShouldFlagCodeAndIgnoreCommentsAndStrings()
    {
        final List<String> hits = scan("X.java", List.of(
            "import java.util.SplittableRandom; // why",
            "/* new Random( in a comment",
            "   SplittableRandom still a comment */ long a = 1;",
            "String s = \"SplittableRandom in a string\"; // ThreadLocalRandom",
            "final var r = new java.util.Random(3);",
            "double d = Math.random();",
            "java.security.SecureRandom ok = new java.security.SecureRandom();"));
        assertThat(hits).containsExactly("X.java:1: import java.util.SplittableRandom; // why",
            "X.java:5: final var r = new java.util.Random(3);", "X.java:6: double d = Math.random();");
    }

    /** "file:line: text" for every line whose code (comments and string literals removed) names a forbidden generator. */
    static List<String> scan(final String name, final List<String> lines)
    {
        final List<String> hits = new ArrayList<>();
        boolean inComment = false;
        for (int ln = 0; ln < lines.size(); ln++)
        {
            final String line = lines.get(ln);
            final StringBuilder code = new StringBuilder();
            for (int i = 0; i < line.length(); i++)
            {
                if (inComment)
                {
                    if (line.startsWith("*/", i))
                    {
                        inComment = false;
                        i++;
                    }
                }
                else if (line.startsWith("/*", i))
                {
                    inComment = true;
                    i++;
                }
                else if (line.startsWith("//", i))
                {
                    break;
                }
                else if (line.charAt(i) == '"' || line.charAt(i) == '\'')
                {
                    i = endOfLiteral(line, i);
                    code.append(' ');
                }
                else
                {
                    code.append(line.charAt(i));
                }
            }
            final Matcher m = FORBIDDEN.matcher(code);
            if (m.find())
            {
                hits.add(name + ":" + (ln + 1) + ": " + line.trim());
            }
        }
        return hits;
    }

    private static int endOfLiteral(final String line, final int open)
    {
        final char quote = line.charAt(open);
        for (int i = open + 1; i < line.length(); i++)
        {
            if (line.charAt(i) == '\\')
            {
                i++;
            }
            else if (line.charAt(i) == quote)
            {
                return i;
            }
        }
        return line.length();
    }

    /** The reactor root: tests run in the engine module's directory. */
    private static Path repositoryRoot()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("engine/src/main/java")))
        {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
