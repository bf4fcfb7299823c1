//! Printable asset labels: a QR code that opens the asset's page, with its
//! tag and name, as one self-contained SVG drawn here (no image library).

use crate::domain::asset::AssetDetail;
use crate::domain::booking::Resource;
use qrcode::{Color, EcLevel, QrCode};

/// Escapes text for SVG.
fn xml(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The QR code's dark modules as one SVG path, one unit per module, with a
/// four-module quiet zone.
fn qr_path(url: &str) -> Result<(String, usize), qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    let width = code.width();
    let mut d = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % width + 4, i / width + 4);
            d.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok((d, width + 8))
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// A 62 × 29 mm label (a common label-printer size) for one asset.
pub fn asset_label(asset: &AssetDetail, public_url: &str) -> Result<String, String> {
    let url = format!("{public_url}/assets/{}", asset.id);
    let (path, modules) = qr_path(&url).map_err(|e| e.to_string())?;
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="62mm" height="29mm" viewBox="0 0 620 290" role="img" aria-label="Label {tag}">
<rect width="620" height="290" fill="#fff"/>
<svg x="5" y="5" width="280" height="280" viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges"><path fill="#000" d="{path}"/></svg>
<text x="300" y="70" font-family="DejaVu Sans, Arial, sans-serif" font-size="44" font-weight="700">{tag}</text>
<text x="300" y="125" font-family="DejaVu Sans, Arial, sans-serif" font-size="26">{name}</text>
<text x="300" y="165" font-family="DejaVu Sans, Arial, sans-serif" font-size="22" fill="#333">{serial}</text>
<text x="300" y="250" font-family="DejaVu Sans, Arial, sans-serif" font-size="20" fill="#333">Milik GA · scan untuk detail</text>
</svg>
"##,
        tag = xml(&asset.tag),
        name = xml(&shorten(&asset.name, 24)),
        serial = asset
            .serial_number
            .as_deref()
            .map(|s| format!("S/N {}", xml(&shorten(s, 24))))
            .unwrap_or_default(),
    ))
}

/// An A6 sign for a room's door: a QR code that opens the room's
/// check-in page, with the room's name and floor.
pub fn door_sign(resource: &Resource, public_url: &str) -> Result<String, String> {
    let url = format!("{public_url}/rooms/{}/check-in", resource.id);
    let (path, modules) = qr_path(&url).map_err(|e| e.to_string())?;
    let floor = if resource.floor.is_empty() {
        String::new()
    } else {
        format!(
            "Lantai {} · Floor {}",
            xml(&resource.floor),
            xml(&resource.floor)
        )
    };
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="105mm" height="148mm" viewBox="0 0 1050 1480" role="img" aria-label="Check-in {name}">
<rect width="1050" height="1480" fill="#fff"/>
<text x="525" y="130" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="72" font-weight="700">{name}</text>
<text x="525" y="210" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="40" fill="#333">{floor}</text>
<svg x="175" y="280" width="700" height="700" viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges"><path fill="#000" d="{path}"/></svg>
<text x="525" y="1100" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="48" font-weight="700">Pindai untuk check-in</text>
<text x="525" y="1170" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="40">Scan to check in</text>
<text x="525" y="1290" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="30" fill="#333">Tanpa check-in, ruang dilepas otomatis.</text>
<text x="525" y="1340" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="30" fill="#333">Rooms nobody checks in to are released.</text>
</svg>
"##,
        name = xml(&shorten(&resource.name, 28)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_has_quiet_zone_and_modules() {
        let (path, size) = qr_path("https://ga.example.co.id/assets/0190").unwrap();
        assert!(size >= 21 + 8);
        assert!(path.starts_with('M'));
        // the top-left finder pattern starts at the quiet zone's edge
        assert!(path.contains("M4 4h1v1h-1z"));
    }

    #[test]
    fn text_is_escaped_and_shortened() {
        assert_eq!(xml("<a&\"b\">"), "&lt;a&amp;&quot;b&quot;&gt;");
        assert_eq!(
            shorten("Laptop Lenovo ThinkPad E14 Gen 5", 10),
            "Laptop Le…"
        );
    }
}
