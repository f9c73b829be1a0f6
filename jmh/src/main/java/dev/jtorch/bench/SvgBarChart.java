package dev.jtorch.bench;

import java.util.List;
import java.util.Locale;

/**
 * A small horizontal grouped bar chart written as SVG text, so that reports carry a chart without a plotting
 * dependency or fonts installed on the machine that runs the benchmarks.
 */
final class SvgBarChart {
    private static final String[] COLORS = {"#d9480f", "#1971c2", "#2f9e44", "#868e96", "#7048e8"};

    private SvgBarChart() {
    }

    /**
     * @param values values[series][category]; NaN for a missing bar
     * @param marker a vertical reference line at this value (NaN for none), labelled markerLabel
     */
    static String render(String title, String unit, List<String> categories, List<String> series, double[][] values,
                         double marker, String markerLabel) {
        int labelW = 170, plotW = 560, barH = 12, gap = 10, top = 50;
        int groupH = series.size() * barH + gap;
        int height = top + categories.size() * groupH + 40;
        int width = labelW + plotW + 90;
        double max = Double.isNaN(marker) ? 0 : marker;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        max = max <= 0 ? 1 : max * 1.05;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", esc(title)));
        for (int k = 0; k < series.size(); k++) {
            int x = labelW + k * 130;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"39\">%s</text>%n", x, COLORS[k % COLORS.length], x + 14, esc(series.get(k))));
        }
        for (int c = 0; c < categories.size(); c++) {
            int y0 = top + c * groupH;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", labelW - 6,
                    y0 + series.size() * barH / 2 + 4, esc(categories.get(c))));
            for (int k = 0; k < series.size(); k++) {
                double v = values[k][c];
                if (Double.isNaN(v)) {
                    continue;
                }
                int w = (int) Math.round(plotW * v / max);
                int y = y0 + k * barH;
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"9\">%s</text>%n", labelW, y, Math.max(w, 1), barH - 2,
                        COLORS[k % COLORS.length], labelW + w + 3, y + barH - 3, fmt(v)));
            }
        }
        int axisY = top + categories.size() * groupH;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                labelW, top - 5, labelW, axisY));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", labelW, axisY + 16, esc(unit)));
        if (!Double.isNaN(marker)) {
            int mx = labelW + (int) Math.round(plotW * marker / max);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\" "
                    + "stroke-dasharray=\"4,3\"/><text x=\"%d\" y=\"%d\">%s</text>%n", mx, top - 5, mx, axisY, mx + 3,
                    axisY + 16, esc(markerLabel)));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
