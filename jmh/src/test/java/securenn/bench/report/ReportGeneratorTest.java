package securenn.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The report generator on a small synthetic result set: projections, tables, charts and JSON. */
class ReportGeneratorTest
{
    @TempDir
    Path dir;

    @Test
    void projectionsShouldFollowTheStatedFormula()
    {
        // 10 ms compute, 8 rounds, 1 MB: LAN 10 + 8·0.22 + 1e6 B / 625 MB/s = 13.36 ms; WAN 10 + 8·58 + 25 = 499 ms
        assertThat(Projection.LAN.project(10, 8, 1_000_000)).isCloseTo(13.36, within(1e-9));
        assertThat(Projection.WAN.project(10, 8, 1_000_000)).isCloseTo(499.0, within(1e-9));
    }

    @Test
    void comparisonShouldPlaceOurRowsBesideThePublishedOnesAndDrawCharts() throws Exception
    {
        final List<Map<String, Object>> inference = List.of(
            row("Network A", "batch 1", 2.0, 21, 2_000_000, 0.5),
            row("Network A", "batch 128", 60.0, 21, 21_000_000, 10.0));
        final List<Map<String, Object>> protocols = List.of(row("DReLU", "128×128", 20.0, 8, 8_000_000, Double.NaN));
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", Map.of("cores", 2, "cpu", "test cpu", "commit", "abc"));
        report.put("results", inference);
        Files.writeString(dir.resolve("inference.json"), Json.write(report));
        report.put("results", protocols);
        Files.writeString(dir.resolve("protocols.json"), Json.write(report));

        ComparisonReport.fromDirectory(dir).write(dir);
        ReportIndex.write(dir);

        final String md = Files.readString(dir.resolve("comparison.md"));
        assertThat(md).contains("| A | SecureML | 2PC | 4.70 | 0.180 | 4.88 |")
            .contains("| A | **securenn, loopback (measured)** | 3PC | 0 | 0.00200 |")
            .contains("| A | **securenn, projected LAN** | 3PC | 0 | 0.00982 |") // 2 + 21·0.22 + 2e6/625e6 s = 9.82 ms
            .contains("| DReLU | 128×128 | 20.0 | 34.6 | 110 |")           // 20 + 8·0.22 + 8e6/625e6·1e3 = 34.56 ms
            .contains("not measured yet: run bin/bench training");
        @SuppressWarnings("unchecked")
        final Map<String, Object> json = (Map<String, Object>)JsonReader.parse(Files.readString(dir.resolve("comparison.json")));
        @SuppressWarnings("unchecked")
        final Map<String, Object> batch = (Map<String, Object>)((List<Object>)json.get("batchInference")).get(1);
        assertThat(((Number)batch.get("projectedLanS")).doubleValue()).isCloseTo((60 + 21 * 0.22 + 21_000_000 / 625e3) / 1e3, within(1e-9));
        assertThat(((Number)batch.get("overheadOverTwin")).doubleValue()).isCloseTo(6.0, within(1e-9));
        for (final String chart : List.of("chart-single-image.svg", "chart-batch-inference.svg", "chart-protocols.svg"))
        {
            final Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve(chart).toFile());
            assertThat(svg.getDocumentElement().getNodeName()).isEqualTo("svg");
            assertThat(svg.getElementsByTagName("rect").getLength()).as(chart + " has bars").isGreaterThan(3);
        }
        assertThat(Files.readString(dir.resolve("README.md"))).contains("| A | 128 | 0.0600 s |").contains("not run yet");
    }

    @Test
    void jsonShouldRoundTrip()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "a \"quoted\" line\nnext\t×");
        m.put("list", List.of(1L, 2.5, true, "x"));
        m.put("nothing", null);
        assertThat(JsonReader.parse(Json.write(m))).isEqualTo(m);
    }

    @Test
    void bytesShouldBeComparedAtThePapersPrintedPrecision()
    {
        assertThat(ProtocolReport.truncateLike(0.4288, 0.42)).isEqualTo(0.42);
        assertThat(ProtocolReport.truncateLike(0.04096, 0.04)).isEqualTo(0.04);
        assertThat(ProtocolReport.truncateLike(0.003208, 0.0032)).isEqualTo(0.0032);
        assertThat(ProtocolReport.truncateLike(8.1265, 10.88)).isEqualTo(8.12);
    }

    private static Map<String, Object> row(final String protocol, final String dims, final double ms, final long rounds,
        final long bytes, final double twinMs)
    {
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocol", protocol);
        r.put("dims", dims);
        r.put("medianMs", ms);
        r.put("minMs", ms);
        r.put("maxMs", ms);
        r.put("rounds", rounds);
        r.put("bytes", bytes);
        if (!Double.isNaN(twinMs))
        {
            r.put("fixedPointTwinMs", twinMs);
        }
        return r;
    }

    @Test
    void accuracyRunsShouldBeReadFromTrainingLogsAndJudged() throws Exception
    {
        Files.createDirectories(dir.resolve("accuracy"));
        Files.writeString(dir.resolve("accuracy/A-secure.log"), String.join("\n",
            "WARNING: Using incubator modules: jdk.incubator.vector",
            "secure training of network A: 59904 images per epoch in batches of 128, learning rate 2^-7 halved every 5 epochs, seed 1",
            "epoch 1/2 iteration 468/468: loss 0.4015, 777 images/s, ETA 0 s, twin identical so far",
            "twin check passed: secure training and the fixed-point twin agree bit for bit on every parameter after each of 200 iterations",
            "epoch 1: secure test accuracy 82.48% on 10000 images; checkpoint in x",
            "epoch 2: secure test accuracy 94.74% on 10000 images",
            "trained 2 epochs in 3.5 minutes"));
        final List<Map<String, Object>> runs = AccuracyRuns.read(dir);
        assertThat(runs).hasSize(1);
        final Map<String, Object> r = runs.get(0);
        assertThat(r.get("engine")).isEqualTo("secure");
        assertThat(r.get("network")).isEqualTo("A");
        assertThat(r.get("accuracyPercent")).isEqualTo(List.of(82.48, 94.74));
        assertThat(r.get("twinVerifiedIterations")).isEqualTo(200);
        assertThat(r.get("minutes")).isEqualTo(3.5);
        final StringBuilder md = new StringBuilder();
        final Targets targets = new Targets();
        AccuracyRuns.appendMarkdown(runs, md, targets);
        assertThat(md.toString()).contains("| accuracy/A-secure.log | secure | A | ASM | 128 |").contains("82.5 94.7 | 94.74%");
        assertThat(targets.asList()).as("two epochs are not the 15 the target is about").isEmpty();
    }

    @Test
    void networkCRunsShouldNameTheirOutputErrorAndCountAFullSecureEpoch() throws Exception
    {
        Files.createDirectories(dir.resolve("accuracy"));
        final java.util.function.BiFunction<String, String, String> header = (engine, loss) -> engine
            + " training of network C (" + loss + " output error, momentum 0.875): 59904 images per epoch in batches of 128, "
            + "learning rate 2^-7 halved every 5 epochs, seed 1";
        final List<String> fifteen = new java.util.ArrayList<>(List.of(header.apply("fixed-point twin", "multiclass-hinge")));
        for (int e = 1; e <= 15; e++)
        {
            fifteen.add("epoch " + e + ": twin test accuracy " + (e == 15 ? "99.12" : "98.00") + "% on 10000 images");
        }
        Files.writeString(dir.resolve("accuracy/C-twin.log"), String.join("\n", fifteen));
        Files.writeString(dir.resolve("accuracy/C-secure.log"), String.join("\n", header.apply("secure", "multiclass-hinge"),
            "epoch 1: secure test accuracy 97.96% on 10000 images", "trained 1 epochs in 45.0 minutes"));
        Files.writeString(dir.resolve("accuracy/C-float.log"), String.join("\n", header.apply("float", "squared-error"),
            "epoch 1: float test accuracy 90.00% on 10000 images"));
        final List<Map<String, Object>> runs = AccuracyRuns.read(dir);
        assertThat(runs).extracting(r -> r.get("engine")).containsExactlyInAnyOrder("twin", "secure", "float");
        final StringBuilder md = new StringBuilder();
        final Targets targets = new Targets();
        AccuracyRuns.appendMarkdown(runs, md, targets);
        assertThat(md.toString()).contains("| accuracy/C-float.log | float | C | squared-error | 128 |");
        assertThat(targets.asList()).extracting(t -> t.get("target") + " = " + t.get("measured") + " " + t.get("met"))
            .contains("network C ≥ 99.0% after 15 epochs (twin, multiclass-hinge output error) = 99.12% true",
                "network C: at least one full secure epoch, accuracy reported = 97.96% after 1 epoch, 45.0 min true");
    }

    @Test
    void encryptionReportShouldPairTheRunsAndJudgeNetworkCsOverhead() throws Exception
    {
        final List<Map<String, Object>> plain = List.of(row("Network A", "batch 128", 70.0, 21, 21_000_000, Double.NaN),
            row("Network C", "batch 128", 5000.0, 67, 1_200_000_000, Double.NaN));
        final List<Map<String, Object>> encrypted = List.of(row("Network A", "batch 128", 77.0, 21, 21_000_000, Double.NaN),
            row("Network C", "batch 128", 6000.0, 67, 1_200_000_000, Double.NaN));
        new EncryptionReport(MachineInfo.current(), plain, encrypted).write(dir);
        final String md = Files.readString(dir.resolve("encryption.md"));
        assertThat(md).contains("| Network A | batch 128 | 70.0 | 77.0 | +10.0% |")
            .contains("| encryption overhead ≤ 15% on network C, batch-128 inference | +20.0% | **no** |");
    }

    @Test
    void soakReportShouldCountFailuresAndSeeMemoryGrowth() throws Exception
    {
        final Map<String, Object> summary = new LinkedHashMap<>(Map.of("summary", true, "seconds", 60, "clients", 4,
            "answered", 1000, "failed", 0, "wrongAnswers", 0, "connections", 12, "failures", List.of()));
        final List<Map<String, Object>> rows = new java.util.ArrayList<>(List.of(summary));
        for (int t = 1; t <= 9; t++)
        {
            rows.add(new LinkedHashMap<>(Map.of("seconds", 10 * t, "answered", 100 * t, "perSecond", 10.0, "failed", 0,
                "P0HeapMb", 200 + (t % 2) * 300, "P0LiveHeapMb", 150, "P0RssMb", 1000, "P1RssMb", t < 7 ? 1000 : 1000 + 100 * t)));
        }
        new SoakReport(MachineInfo.current(), rows).write(dir);
        final String md = Files.readString(dir.resolve("soak.md"));
        assertThat(md).contains("| zero failed valid requests | 0 failed of 1000 answered | yes |")
            .contains("P1 RSS peak 1000 → 1900 MB") // grows in the last third: not bounded
            .doesNotContain("P0 live heap");       // the used-heap saw-tooth alone is not growth
    }
}
