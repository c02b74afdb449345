//! Table tests of CAP 1.2 parsing and writing: valid alerts, the kiosk profile, and every kind of
//! malformed, oversized or hostile input refused with the right error.

use proptest::prelude::*;
use siaga_api::cap::*;
use siaga_domain::geo::{Circle, GeoPoint};
use siaga_domain::kiosk::KioskId;
use siaga_domain::Category;
use time::macros::datetime;

fn kiosk_alert() -> KioskAlert {
    KioskAlert {
        identifier: "KIOSK-MRT-BHI-01-000123".into(),
        kiosk: KioskId::parse("KIOSK-MRT-BHI-01").unwrap(),
        station_id: "mrt-bundaran-hi".into(),
        sent: datetime!(2026-01-05 15:04:05 +07:00),
        status: CapStatus::Actual,
        area: Circle::new(GeoPoint::new(-6.1918, 106.8229).unwrap(), 0.0).unwrap(),
        area_description: "Stasiun MRT Bundaran HI".into(),
        category: Some(Category::Theft),
        description: Some("Copet di peron arah Lebak Bulus & <pintu 3>".into()),
    }
}

/// A complete CAP 1.2 alert exercising every element the parser supports.
const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment is fine -->
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>TRI13970876.2</identifier>
  <sender>trinet@caltech.edu</sender>
  <sent>2003-06-11T20:56:00-07:00</sent>
  <status>Actual</status>
  <msgType>Update</msgType>
  <source>SW</source>
  <scope>Restricted</scope>
  <restriction>operators only</restriction>
  <code>IPAWSv1.0</code>
  <code>RFC8876</code>
  <note>A &amp; B &#x263A; <![CDATA[<raw> & text]]></note>
  <references>trinet@caltech.edu,TRI13970876.1,2003-06-11T20:30:00-07:00</references>
  <incidents>13970876</incidents>
  <info>
    <language>en-US</language>
    <category>Geo</category>
    <category>Safety</category>
    <event>Earthquake</event>
    <responseType>Assess</responseType>
    <urgency>Past</urgency>
    <severity>Minor</severity>
    <certainty>Observed</certainty>
    <audience>everyone</audience>
    <eventCode><valueName>SAME</valueName><value>EQW</value></eventCode>
    <effective>2003-06-11T20:56:00-07:00</effective>
    <expires>2003-06-12T20:56:00-00:00</expires>
    <senderName>Southern California Seismic Network</senderName>
    <headline>EQ 3.4 Imperial County CA</headline>
    <description>A minor earthquake measuring 3.4 on the Richter scale occurred.</description>
    <instruction>Check for damage.</instruction>
    <web>http://www.trinet.org/scsn.html</web>
    <contact>Pasadena +1 626 395 6599</contact>
    <parameter><valueName>EventID</valueName><value>13970876</value></parameter>
    <area>
      <areaDesc>1 mi. WSW of Brawley, CA</areaDesc>
      <polygon>38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14</polygon>
      <circle>32.9525,-115.5527 0</circle>
      <geocode><valueName>SAME</valueName><value>006025</value></geocode>
      <altitude>100</altitude>
      <ceiling>200.5</ceiling>
    </area>
  </info>
</alert>
"#;

#[test]
fn a_full_alert_parses() {
    let alert = CapAlert::parse(FULL.as_bytes()).unwrap();
    assert_eq!(alert.identifier, "TRI13970876.2");
    assert_eq!(alert.sent, datetime!(2003-06-11 20:56:00 -07:00));
    assert_eq!(
        (alert.status, alert.msg_type, alert.scope),
        (CapStatus::Actual, CapMsgType::Update, CapScope::Restricted)
    );
    assert_eq!(alert.codes, vec!["IPAWSv1.0", "RFC8876"]);
    assert_eq!(alert.note.as_deref(), Some("A & B \u{263a} <raw> & text"));
    let info = &alert.infos[0];
    assert_eq!(info.categories, vec![CapCategory::Geo, CapCategory::Safety]);
    assert_eq!(
        (info.urgency, info.severity, info.certainty),
        (CapUrgency::Past, CapSeverity::Minor, CapCertainty::Observed)
    );
    assert_eq!(info.event_codes, vec![CapValue::new("SAME", "EQW")]);
    assert_eq!(info.expires, Some(datetime!(2003-06-12 20:56:00 UTC)));
    let area = &info.areas[0];
    assert_eq!(area.polygons[0].len(), 5);
    assert_eq!(area.circles[0].radius_m, 0.0);
    assert_eq!((area.altitude, area.ceiling), (Some(100.0), Some(200.5)));
    // What we write, we read back the same.
    let again = CapAlert::parse(alert.to_xml().unwrap().as_bytes()).unwrap();
    assert_eq!(again, alert);
}

/// Found by the fuzzer (`cap_alert`): a carriage return in a text (from CDATA or `&#13;`) was written as it
/// is, and XML's end-of-line normalisation read it back as a line feed.
#[test]
fn a_carriage_return_in_a_text_survives_write_and_read() {
    let mut alert = CapAlert::parse(FULL.as_bytes()).unwrap();
    alert.note = Some("baris satu\r\nbaris dua\rtiga".into());
    let again = CapAlert::parse(alert.to_xml().unwrap().as_bytes()).unwrap();
    assert_eq!(again.note, alert.note);
}

#[test]
fn kiosk_alerts_round_trip() {
    let kiosk = kiosk_alert();
    let xml = kiosk.to_cap().to_xml().unwrap();
    assert!(xml.contains("<sent>2026-01-05T15:04:05+07:00</sent>"), "{xml}");
    assert!(xml.contains("<circle>-6.1918,106.8229 0</circle>"), "{xml}");
    assert!(xml.contains("Lebak Bulus &amp; &lt;pintu 3&gt;"), "{xml}");
    assert!(
        xml.contains("<sender>KIOSK-MRT-BHI-01@kiosk.siaga110.id</sender>"),
        "{xml}"
    );
    assert_eq!(KioskAlert::parse(xml.as_bytes()).unwrap(), kiosk);
}

#[test]
fn a_kiosk_alert_opens_an_incident() {
    use siaga_domain::event::{IncidentChange, IncidentEvent};
    use siaga_domain::flow::IncidentState;
    use siaga_domain::incident::{Actor, Channel, EventId, IncidentId};
    use siaga_domain::{PoldaId, Priority, Role};
    let mut alert = kiosk_alert();
    alert.category = None;
    alert.description = None;
    let change = alert.received_change();
    let IncidentChange::Received {
        channel,
        description,
        priority,
        ..
    } = &change
    else {
        unreachable!()
    };
    assert_eq!(
        channel,
        &Channel::StationKiosk {
            kiosk: alert.kiosk.clone()
        }
    );
    assert_eq!(
        description,
        "Tombol darurat kios ditekan di Bundaran HI (MRT Utara-Selatan)"
    );
    assert_eq!(*priority, Some(Priority::High));
    let event = IncidentEvent {
        id: EventId(uuid::Uuid::from_u128(1)),
        incident_id: IncidentId(uuid::Uuid::from_u128(2)),
        at: alert.sent,
        actor: Actor::new(alert.kiosk.as_str(), Role::System),
        change,
    };
    let incident = IncidentState::receive(&event).unwrap().into_incident();
    assert_eq!(incident.polda, Some(PoldaId::MetroJaya));
    assert_eq!(incident.location.regency.unwrap().to_string(), "31.71");
}

#[test]
fn times_are_written_the_cap_way() {
    assert_eq!(
        format_cap_time(datetime!(2026-01-05 08:00:00 UTC)),
        "2026-01-05T08:00:00-00:00"
    );
    assert_eq!(
        format_cap_time(datetime!(2026-01-05 08:00:00.75 +09:00)),
        "2026-01-05T08:00:00+09:00"
    );
    assert_eq!(
        format_cap_time(datetime!(2026-01-05 08:00:00 -03:30)),
        "2026-01-05T08:00:00-03:30"
    );
}

#[test]
fn prefixed_namespace_and_bom_are_accepted() {
    let xml = FULL.replace(
        "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">",
        "<cap:alert xmlns:cap=\"urn:oasis:names:tc:emergency:cap:1.2\">",
    );
    let xml = xml.replace("</alert>", "</cap:alert>");
    let prefixed = regex_lite_prefix(&xml);
    assert_eq!(
        CapAlert::parse(prefixed.as_bytes()).unwrap().identifier,
        "TRI13970876.2"
    );
    let with_bom = format!("\u{feff}{FULL}");
    assert!(CapAlert::parse(with_bom.as_bytes()).is_ok());
}

/// Prefixes every element inside the root with `cap:` (the test's own tiny rewriter).
fn regex_lite_prefix(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let tag_is_element = rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        let already = rest[1..].trim_start_matches('/').starts_with("cap:");
        if tag_is_element && !already {
            let slash = rest[1..].starts_with('/');
            out.push_str(if slash { "</cap:" } else { "<cap:" });
            rest = &rest[if slash { 2 } else { 1 }..];
        } else {
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The kiosk alert's XML with `from` replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    let xml = kiosk_alert().to_cap().to_xml().unwrap();
    assert!(xml.contains(from), "fixture lacks {from:?}");
    xml.replacen(from, to, 1)
}

fn check(xml: &str, expect: &str) {
    match CapAlert::parse(xml.as_bytes()) {
        Ok(alert) => panic!("accepted, expected an error containing {expect:?}: {alert:?}"),
        Err(error) => assert!(
            error.to_string().contains(expect),
            "{error} should mention {expect:?}"
        ),
    }
}

#[test]
fn hostile_input_is_refused() {
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol2;</identifier></alert>"#;
    check(billion_laughs, "DOCTYPE is not allowed");
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE alert SYSTEM "http://evil.example/cap.dtd"><alert/>"#;
    check(xxe, "DOCTYPE is not allowed");
    let external = r#"<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><alert>&xxe;</alert>"#;
    check(external, "DOCTYPE is not allowed");
    check(
        &edited("<scope>", "<note>&xxe;</note><scope>"),
        "entity &xxe; is not allowed",
    );
    check(
        &edited("<identifier>", "<identifier>&nbsp;"),
        "entity &nbsp; is not allowed",
    );
    check(
        &edited("<alert ", "<?xml-stylesheet href=\"x.xsl\"?><alert "),
        "processing instructions",
    );
    let huge = edited(
        "<description>",
        &format!("<description>{}", "x".repeat(MAX_CAP_BYTES)),
    );
    check(&huge, "exceeds the 65536-byte limit");
    assert!(matches!(
        CapAlert::parse(&[0x3c, 0xff, 0xfe]),
        Err(CapError::Encoding(_))
    ));
    check(
        &edited("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\""),
        "not UTF-8",
    );
    let deep = edited(
        "<description>",
        "<description><a><b><c><d><e>x</e></d></c></b></a>",
    );
    check(&deep, "too deeply nested");
}

#[test]
fn malformed_xml_is_refused() {
    check("", "empty document");
    check("not xml", "text outside the root element");
    check(&edited("</alert>", ""), "unclosed element");
    check(&edited("</sender>", "</sendr>"), "malformed XML");
    check(
        &edited("</alert>", "</alert><alert/>"),
        "content after the root element",
    );
    check(
        &edited("<info>", "stray text<info>"),
        "text is not allowed directly in <alert>",
    );
    check(
        &edited("<identifier>", "<identifier lang=\"id\">"),
        "attribute lang is not allowed",
    );
}

#[test]
fn cap_rules_are_enforced() {
    check(
        &edited(
            "urn:oasis:names:tc:emergency:cap:1.2",
            "urn:oasis:names:tc:emergency:cap:1.1",
        ),
        "namespace",
    );
    check(
        &edited(" xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"", ""),
        "root element must be <alert>",
    );
    check(
        &edited("<alert ", "<alarm ").replace("</alert>", "</alarm>"),
        "found <alarm>",
    );
    check(
        &edited("<identifier>KIOSK-MRT-BHI-01-000123</identifier>", ""),
        "<alert> requires <identifier>",
    );
    check(
        &edited(
            "<identifier>KIOSK-MRT-BHI-01-000123</identifier>",
            "<identifier>a b</identifier>",
        ),
        "<identifier> has an invalid value",
    );
    check(
        &edited(
            "<sender>KIOSK-MRT-BHI-01@kiosk.siaga110.id</sender>",
            "<sender></sender>",
        ),
        "requires <sender>",
    );
    check(
        &edited("@kiosk.siaga110.id", "@kiosk,siaga110.id"),
        "<sender> has an invalid value",
    );
    check(&edited("+07:00</sent>", "Z</sent>"), "no Z");
    check(
        &edited("15:04:05+07:00</sent>", "15:04:05</sent>"),
        "<sent> has an invalid value",
    );
    check(
        &edited("<sent>2026-01-05", "<sent>2026-02-30"),
        "<sent> has an invalid value",
    );
    check(
        &edited("<status>Actual</status>", "<status>Real</status>"),
        "expected one of: Actual",
    );
    check(
        &edited(
            "<msgType>Alert</msgType>",
            "<msgType>Alert</msgType><msgType>Alert</msgType>",
        ),
        "only one <msgType>",
    );
    check(
        &edited("<scope>Private</scope>", "<scope>Restricted</scope>"),
        "requires <restriction>",
    );
    check(
        &edited("<addresses>siaga110</addresses>", ""),
        "requires <addresses>",
    );
    check(
        &edited("<code>", "<foo>x</foo><code>"),
        "<foo> is not allowed in <alert>",
    );
    check(
        &edited("<category>Security</category>", ""),
        "<info> requires <category>",
    );
    check(
        &edited("<category>Security</category>", "<category>Police</category>"),
        "<category> has an invalid value",
    );
    check(
        &edited("<urgency>Immediate</urgency>", ""),
        "<info> requires <urgency>",
    );
    check(
        &edited("<certainty>Unknown</certainty>", "<certainty>Sure</certainty>"),
        "<certainty> has an invalid value",
    );
    check(
        &edited("<areaDesc>Stasiun MRT Bundaran HI</areaDesc>", ""),
        "<area> requires <areaDesc>",
    );
    check(
        &edited("-6.1918,106.8229 0", "-96.1918,106.8229 0"),
        "<circle> has an invalid value",
    );
    check(
        &edited("-6.1918,106.8229 0", "-6.1918 106.8229 0"),
        "<circle> has an invalid value",
    );
    check(
        &edited("-6.1918,106.8229 0", "-6.1918,106.8229 -1"),
        "<circle> has an invalid value",
    );
    check(
        &edited("-6.1918,106.8229 0", "-6.1918,106.8229"),
        "<circle> has an invalid value",
    );
    check(
        &edited("<circle>", "<polygon>1,1 2,2 3,3 1,2</polygon><circle>"),
        "first equal to the last",
    );
    check(
        &edited("<circle>", "<polygon>1,1 2,2 1,1</polygon><circle>"),
        "at least 4 points",
    );
    check(
        &edited("<circle>", "<ceiling>10</ceiling><circle>"),
        "<area> requires <altitude>",
    );
    check(
        &edited("<circle>", "<altitude>high</altitude><circle>"),
        "<altitude> has an invalid value",
    );
    check(
        &edited(
            "<valueName>siagaKioskId</valueName>",
            "<valueName>siagaKioskId</valueName><foo/>",
        ),
        "<foo> is not allowed in <parameter>",
    );
}

fn check_kiosk(xml: &str, expect: &str) {
    match KioskAlert::parse(xml.as_bytes()) {
        Ok(alert) => panic!("accepted, expected {expect:?}: {alert:?}"),
        Err(error) => assert!(
            error.to_string().contains(expect),
            "{error} should mention {expect:?}"
        ),
    }
}

#[test]
fn the_kiosk_profile_is_enforced() {
    check_kiosk(
        &edited("<sender>KIOSK-MRT-BHI-01@", "<sender>KIOSK-MRT-BHI-02@"),
        "sender does not match",
    );
    check_kiosk(
        &edited(
            "<valueName>siagaKioskId</valueName>",
            "<valueName>kiosk</valueName>",
        ),
        "siagaKioskId parameter is missing",
    );
    check_kiosk(
        &edited(
            "<valueName>siagaStationId</valueName>",
            "<valueName>station</valueName>",
        ),
        "siagaStationId",
    );
    check_kiosk(
        &edited("<value>theft</value>", "<value>begal</value>"),
        "unknown incident category",
    );
    check_kiosk(
        &edited("<msgType>Alert</msgType>", "<msgType>Cancel</msgType>"),
        "msgType must be Alert",
    );
    check_kiosk(&edited("<circle>-6.1918,106.8229 0</circle>", ""), "one circle");
    let two_infos = {
        let xml = kiosk_alert().to_cap().to_xml().unwrap();
        let start = xml.find("  <info>").unwrap();
        let end = xml.find("</info>").unwrap() + "</info>\n".len();
        let info = xml[start..end].to_owned();
        xml.replacen(&info, &format!("{info}{info}"), 1)
    };
    check_kiosk(&two_infos, "exactly one <info>");
}

#[test]
fn writing_refuses_what_cap_forbids() {
    let mut alert = kiosk_alert().to_cap();
    alert.sender = "kiosk one".into();
    assert!(matches!(
        alert.to_xml(),
        Err(CapError::BadValue {
            element: "sender",
            ..
        })
    ));
    let mut alert = kiosk_alert().to_cap();
    alert.infos[0].description = Some("bell \u{7}".into());
    assert!(matches!(
        alert.to_xml(),
        Err(CapError::BadValue { element: "text", .. })
    ));
}

fn text() -> impl Strategy<Value = String> {
    "[ -~\u{a0}-\u{2fff}\t\n]{0,60}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("non-empty", |s| !s.is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_kiosk_alert_round_trips(
        description in proptest::option::of(text()),
        area_description in text(),
        lat in -11.0f64..6.0,
        lon in 95.0f64..141.0,
        radius_km in 0u32..50,
        seconds in 0i64..2_000_000_000,
        serial in 0u32..1_000_000,
    ) {
        let mut alert = kiosk_alert();
        alert.description = description;
        alert.area_description = area_description;
        alert.area = Circle::new(GeoPoint::new(lat, lon).unwrap(), f64::from(radius_km) * 1000.0).unwrap();
        alert.sent = time::OffsetDateTime::from_unix_timestamp(seconds).unwrap().to_offset(time::macros::offset!(+7));
        alert.identifier = format!("KIOSK-MRT-BHI-01-{serial}");
        let xml = alert.to_cap().to_xml().unwrap();
        prop_assert_eq!(KioskAlert::parse(xml.as_bytes()).unwrap(), alert);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = CapAlert::parse(&bytes);
    }

    #[test]
    fn mutated_alerts_never_panic(at in 0usize..1500, byte in any::<u8>()) {
        let mut xml = kiosk_alert().to_cap().to_xml().unwrap().into_bytes();
        let at = at % xml.len();
        xml[at] = byte;
        let _ = CapAlert::parse(&xml);
    }
}
