//! Server-rendered SVG charts: horizontal bars and stacked bars. Each chart
//! has a `<title>` and `<desc>` for screen readers, direct value labels and
//! patterns so colour is never the only cue, and colours with at least 3:1
//! contrast against white. The same numbers are always in a table nearby.

use maud::{Markup, html};

/// Fill colours, each with at least 3:1 contrast against white (and white
/// text on them at least 4.5:1), lowest scale point first.
pub const PALETTE: [&str; 7] = ["#8c1d18", "#b4410b", "#5f6b7a", "#1d6fa5", "#0b4a6f", "#5b3e96", "#2f6b3a"];

/// One bar.
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Length, 0–1.
    pub value: f64,
    /// Text shown after the bar (e.g. "42 %").
    pub text: String,
}

/// One stacked row.
pub struct StackedRow {
    /// Label left of the row.
    pub label: String,
    /// Segment lengths, 0–1 each, summing to at most 1.
    pub segments: Vec<f64>,
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 220.0;
const ROW: f64 = 30.0;
const BAR_AREA: f64 = WIDTH - LABEL_WIDTH - 70.0;

fn shorten(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() > 32 { format!("{}…", chars[..31].iter().collect::<String>()) } else { label.to_owned() }
}

/// A horizontal bar chart.
pub fn bar_chart(id: &str, title: &str, description: &str, bars: &[Bar]) -> Markup {
    let height = ROW * bars.len() as f64 + 10.0;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    html! {
        svg class="results-chart" role="img" aria-labelledby={ (title_id) " " (desc_id) }
            viewBox={ "0 0 " (WIDTH) " " (height) } width="100%" preserveAspectRatio="xMinYMin meet"
            xmlns="http://www.w3.org/2000/svg" {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (description) }
            @for (i, bar) in bars.iter().enumerate() {
                @let y = 5.0 + ROW * i as f64;
                @let length = (bar.value.clamp(0.0, 1.0) * BAR_AREA).max(1.0);
                text x=(LABEL_WIDTH - 8.0) y=(y + 19.0) text-anchor="end" font-size="14" fill="#1a1a1a" { (shorten(&bar.label)) }
                rect x=(LABEL_WIDTH) y=(y + 4.0) width=(format!("{length:.1}")) height=(ROW - 10.0) fill=(PALETTE[3]) {}
                text x=(format!("{:.1}", LABEL_WIDTH + length + 6.0)) y=(y + 19.0) font-size="14" fill="#1a1a1a" { (bar.text) }
            }
        }
    }
}

fn pattern(id: &str, index: usize) -> Markup {
    let colour = PALETTE[index % PALETTE.len()];
    let pattern_id = format!("{id}-p{index}");
    html! {
        pattern id=(pattern_id) patternUnits="userSpaceOnUse" width="8" height="8" {
            rect width="8" height="8" fill=(colour) {}
            @match index % 4 {
                1 => { path d="M0,8 L8,0" stroke="#ffffff" stroke-opacity="0.45" stroke-width="1.5" {} }
                2 => { circle cx="4" cy="4" r="1.3" fill="#ffffff" fill-opacity="0.5" {} }
                3 => { path d="M0,0 L8,8 M8,0 L0,8" stroke="#ffffff" stroke-opacity="0.4" stroke-width="1" {} }
                _ => {}
            }
        }
    }
}

/// Segments with their index, start and width; empty ones left out.
fn placed(row: &StackedRow, area: f64) -> Vec<(usize, f64, f64, f64)> {
    let mut x = LABEL_WIDTH;
    let mut out = Vec::new();
    for (index, value) in row.segments.iter().enumerate() {
        let width = value.clamp(0.0, 1.0) * area;
        if width > 0.0 {
            out.push((index, x, width, *value));
        }
        x += width;
    }
    out
}

/// A stacked bar chart (Likert scales, matrices) with a legend.
pub fn stacked_chart(id: &str, title: &str, description: &str, rows: &[StackedRow], legend: &[String]) -> Markup {
    let legend_rows = legend.len().div_ceil(3);
    let height = ROW * rows.len() as f64 + 16.0 + 24.0 * legend_rows as f64;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let area = WIDTH - LABEL_WIDTH - 10.0;
    html! {
        svg class="results-chart" role="img" aria-labelledby={ (title_id) " " (desc_id) }
            viewBox={ "0 0 " (WIDTH) " " (height) } width="100%" preserveAspectRatio="xMinYMin meet"
            xmlns="http://www.w3.org/2000/svg" {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (description) }
            defs { @for i in 0..legend.len() { (pattern(id, i)) } }
            @for (r, row) in rows.iter().enumerate() {
                @let y = 5.0 + ROW * r as f64;
                text x=(LABEL_WIDTH - 8.0) y=(y + 19.0) text-anchor="end" font-size="14" fill="#1a1a1a" { (shorten(&row.label)) }
                @for (s, x, width, value) in placed(row, area) {
                    rect x=(format!("{x:.1}")) y=(y + 2.0) width=(format!("{width:.1}")) height=(ROW - 6.0)
                        fill={ "url(#" (id) "-p" (s) ")" } stroke="#ffffff" stroke-width="1" {}
                    @if width >= 34.0 {
                        text x=(format!("{:.1}", x + width / 2.0)) y=(y + 19.0) text-anchor="middle" font-size="13"
                            font-weight="700" fill="#ffffff" stroke=(PALETTE[s % PALETTE.len()]) stroke-width="3" paint-order="stroke" {
                            (format!("{:.0}", value * 100.0))
                        }
                    }
                }
            }
            @let legend_top = 10.0 + ROW * rows.len() as f64;
            @for (i, label) in legend.iter().enumerate() {
                @let lx = 10.0 + (i % 3) as f64 * (WIDTH / 3.0);
                @let ly = legend_top + 24.0 * (i / 3) as f64;
                rect x=(lx) y=(ly) width="16" height="16" fill={ "url(#" (id) "-p" (i) ")" } stroke="#1a1a1a" stroke-width="0.5" {}
                text x=(lx + 22.0) y=(ly + 13.0) font-size="13" fill="#1a1a1a" { (shorten(label)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative luminance per WCAG 2.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let value = u8::from_str_radix(&hex[i..i + 2], 16).expect("hex") as f64 / 255.0;
            if value <= 0.03928 { value / 12.92 } else { ((value + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    #[test]
    fn every_colour_contrasts_with_white() {
        for colour in PALETTE {
            let ratio = 1.05 / (luminance(colour) + 0.05);
            assert!(ratio >= 4.5, "{colour}: {ratio}");
        }
    }

    #[test]
    fn charts_are_labelled_images_with_direct_labels() {
        let svg =
            bar_chart("c1", "Title", "Description", &[Bar { label: "Yes".into(), value: 0.4, text: "40 %".into() }])
                .into_string();
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"c1-title c1-desc\""));
        assert!(svg.contains("<title id=\"c1-title\">Title</title>") && svg.contains(">40 %</text>"));
        let stacked = stacked_chart(
            "c2",
            "T",
            "D",
            &[StackedRow { label: "A".into(), segments: vec![0.5, 0.5] }],
            &["Low".into(), "High".into()],
        )
        .into_string();
        assert!(stacked.contains("url(#c2-p1)") && stacked.contains(">50</text>"));
    }
}
