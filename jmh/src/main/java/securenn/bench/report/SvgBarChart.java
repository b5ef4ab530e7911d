package securenn.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart on a logarithmic axis, written as standalone SVG (text only, no fonts or graphics stack needed,
 * so reports render identically on a headless build machine and in a browser). Missing values (NaN) draw no bar.
 */
public final class SvgBarChart
{
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int PLOT_HEIGHT = 260;
    private static final int LEFT = 110;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int LABELS = 120;
    private static final int LEGEND_ROW = 20;
    private static final int LEGEND_COLUMN = 260;

    private final String title;
    private final String unit;
    private final List<String> categories;
    private final List<String> series = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();

    public SvgBarChart(final String title, final String unit, final List<String> categories)
    {
        this.title = title;
        this.unit = unit;
        this.categories = categories;
    }

    /** Adds a series: one value per category. */
    public SvgBarChart series(final String name, final double[] perCategory)
    {
        if (perCategory.length != categories.size())
        {
            throw new IllegalArgumentException("series " + name + " has " + perCategory.length + " values for "
                + categories.size() + " categories");
        }
        series.add(name);
        values.add(perCategory.clone());
        return this;
    }

    public String render()
    {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (final double[] v : values)
        {
            for (final double x : v)
            {
                if (x > 0 && Double.isFinite(x))
                {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        if (min == Double.MAX_VALUE)
        {
            min = 1;
            max = 10;
        }
        final int width = Math.max(900, LEFT + RIGHT + 60 * categories.size());
        final int perRow = Math.max(1, (width - LEFT) / LEGEND_COLUMN);
        final int legendRows = (series.size() + perRow - 1) / perRow;
        final int height = TOP + PLOT_HEIGHT + LABELS + legendRows * LEGEND_ROW + 10;
        final int lo = (int)Math.floor(Math.log10(min));
        final int hi = Math.max(lo + 1, (int)Math.ceil(Math.log10(max)));
        final double plotW = width - LEFT - RIGHT;
        final double plotH = PLOT_HEIGHT;
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
            LEFT, escape(title)));
        for (int e = lo; e <= hi; e++)
        {
            final double y = TOP + plotH - (e - lo) / (double)(hi - lo) * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                LEFT, width - RIGHT, y, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
                escape(tick(e))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"40\" y=\"%.1f\" transform=\"rotate(-90 40 %.1f)\" "
            + "text-anchor=\"middle\">%s (log scale)</text>%n", TOP + plotH / 2, TOP + plotH / 2, escape(unit)));
        final double group = plotW / categories.size();
        final double bar = group * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < categories.size(); c++)
        {
            final double gx = LEFT + c * group + group * 0.1;
            for (int s = 0; s < series.size(); s++)
            {
                final double v = values.get(s)[c];
                if (!(v > 0) || !Double.isFinite(v))
                {
                    continue;
                }
                final double h = (Math.log10(v) - lo) / (hi - lo) * plotH;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"%s\"><title>%s, %s: %s %s</title></rect>%n", gx + s * bar, TOP + plotH - h, bar * 0.92,
                    Math.max(0.5, h), COLORS[s % COLORS.length], escape(series.get(s)), escape(categories.get(c)),
                    KernelReport.fmt(v), escape(unit)));
            }
            final double cx = LEFT + c * group + group / 2;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                + "transform=\"rotate(-35 %.1f %.1f)\">%s</text>%n", cx, TOP + plotH + 16, cx, TOP + plotH + 16,
                escape(categories.get(c))));
        }
        for (int s = 0; s < series.size(); s++)
        {
            final int x = LEFT + (s % perRow) * LEGEND_COLUMN;
            final int y = TOP + PLOT_HEIGHT + LABELS + (s / perRow) * LEGEND_ROW;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y, COLORS[s % COLORS.length], x + 16, y + 11, escape(series.get(s))));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String tick(final int exponent)
    {
        final double v = Math.pow(10, exponent);
        return exponent >= 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%." + (-exponent) + "f", v);
    }

    private static String escape(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
