//! `folio site`: a collection into a whole site, with the files built into the binary; its
//! settings from flags and folio.toml; the folders it will not replace; `--serve`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use super::{data_dir, folio, ok, stderr};

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_collection_becomes_a_whole_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let data = data_dir();
    ok(folio(&[
        "site",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--title",
        "Lab <reading> list",
        "--description",
        "What we read",
    ]));
    let page = read(&out.join("index.html"));
    assert!(
        page.contains("<title>Lab &lt;reading&gt; list</title>"),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"application-name\" content=\"Lab &lt;reading&gt; list\""),
        "{page}"
    );
    assert!(page.contains("content=\"What we read\""), "{page}");
    // The app the page loads is there, and the widget's script names files that are.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n.ends_with("_bg.wasm")), "{names:?}");
    // Folio's demo page is not the user's (issue 33): only with --demo.
    assert!(
        !names.iter().any(|n| n.starts_with("embed-demo")),
        "{names:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n == "sw.template.js" || n == "SOURCES"),
        "{names:?}"
    );
    let embed = read(&out.join("folio-embed.js"));
    for name in names.iter().filter(|n| n.starts_with("folio-app-")) {
        assert!(
            embed.contains(name.as_str()),
            "folio-embed.js does not load {name}"
        );
    }
    // The worker lists every file of the site but the page (./) and itself, the index
    // included (the bundled one is small).
    let worker = read(&out.join("sw.js"));
    assert!(!worker.contains("__FILES__") && !worker.contains("__VERSION__"));
    for name in names
        .iter()
        .filter(|n| *n != "index.html" && *n != "sw.js" && *n != "data")
    {
        assert!(
            worker.contains(&format!("\"./{name}\"")),
            "sw.js does not list {name}"
        );
    }
    for piece in std::fs::read_dir(out.join("data")).unwrap() {
        let name = piece.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            worker.contains(&format!("\"./data/{name}\"")),
            "sw.js does not list data/{name}"
        );
    }
    // The index is the one `folio index` writes.
    let index = tmp.path().join("index");
    ok(super::index(&[&data], &index, &[]));
    assert_eq!(
        read(&out.join("data/manifest.json")),
        read(&index.join("manifest.json"))
    );
}

#[test]
fn settings_come_from_folio_toml_and_flags_win() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("folio.toml"),
        "title = \"From the file\"\ndescription = \"Also\"\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "site".to_string(),
            data_dir().display().to_string(),
            "--out".into(),
            "site".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let output = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(&args)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        ok(output);
        read(&tmp.path().join("site/index.html"))
    };
    let page = run(&[]);
    assert!(
        page.contains("<title>From the file</title>") && page.contains("content=\"Also\""),
        "{page}"
    );
    let page = run(&["--title", "From the flag"]);
    assert!(
        page.contains("<title>From the flag</title>") && page.contains("content=\"Also\""),
        "{page}"
    );

    std::fs::write(
        tmp.path().join("folio.toml"),
        "title = \"A\"\ntitel = \"B\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["site", data_dir().to_str().unwrap(), "--out", "site"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("folio.toml:2:") && err.contains("titel"),
        "{err}"
    );
}

#[test]
fn a_folder_that_is_no_site_is_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("thesis.tex"), "\\documentclass{article}").unwrap();
    let output = folio(&[
        "site",
        data_dir().to_str().unwrap(),
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("thesis.tex, which folio did not write"),
        "{}",
        stderr(&output)
    );
    assert!(tmp.path().join("thesis.tex").is_file());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn bad_input_writes_no_site() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("papers.json");
    std::fs::write(
        &input,
        "[{\"title\": \"A\", \"abstract\": \"B\"},\n{\"title\": ",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let output = folio(&[
        "site",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("papers.json:2:"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "nothing half-written is left"
    );
}

/// One HTTP/1.1 request; the status line, the headers and the body.
fn get(address: &str, path: &str, range: Option<&str>) -> (String, String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    let range = range.map_or(String::new(), |r| format!("Range: {r}\r\n"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\n{range}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header end");
    let head = String::from_utf8(answer[..split].to_vec()).unwrap();
    let (status, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    (
        status.to_string(),
        headers.to_string(),
        answer[split + 4..].to_vec(),
    )
}

#[test]
fn serve_answers_pages_and_byte_ranges() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args([
            "site",
            data_dir().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--serve",
            "--port",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("folio says where it serves").unwrap();
        if let Some(at) = line.find("http://127.0.0.1:") {
            break line[at + 7..].split('/').next().unwrap().to_string();
        }
    };
    let (status, headers, body) = get(&address, "/", None);
    assert!(status.contains("200"), "{status}");
    assert!(headers.contains("text/html"), "{headers}");
    assert_eq!(body, std::fs::read(out.join("index.html")).unwrap());

    let record = std::fs::read_dir(out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("records-"))
        .expect("a record file");
    let whole = std::fs::read(out.join("data").join(&record)).unwrap();
    let (status, headers, body) = get(&address, &format!("/data/{record}"), Some("bytes=10-19"));
    assert!(status.contains("206"), "{status}");
    assert!(
        headers.contains(&format!("Content-Range: bytes 10-19/{}", whole.len())),
        "{headers}"
    );
    assert_eq!(body, whole[10..20]);

    let (status, ..) = get(&address, "/../Cargo.toml", None);
    assert!(status.contains("404"), "{status}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn the_widget_demo_page_only_on_demand() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    ok(folio(&[
        "site",
        data_dir().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--demo",
    ]));
    assert!(out.join("embed-demo.html").is_file());
    assert!(read(&out.join("sw.js")).contains("\"./embed-demo.html\""));
}
