//! A tiny web site for the harness's own tests: a std `TcpListener` on a free loopback port,
//! each connection answered on its own thread (Chromium opens spare connections it may never
//! use), one request per connection.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

/// The pages: `GET` of a path gives its HTML; a `POST` to `/submit` shows the posted fields,
/// one `name=value` per `<li>`, sorted, and sets a session cookie.
pub struct Site {
    port: u16,
}

impl Site {
    /// Serves `pages` (path to HTML) until the test process ends.
    pub fn serve(pages: HashMap<&'static str, String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let pages = pages.clone();
                std::thread::spawn(move || answer(stream.unwrap(), &pages));
            }
        });
        Self { port }
    }

    /// The address of `path` on the site.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn answer(stream: TcpStream, pages: &HashMap<&'static str, String>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        if header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next().unwrap(), parts.next().unwrap());
    let (status, extra, html) = match (method, pages.get(path)) {
        ("POST", _) if path == "/submit" => (
            "200 OK",
            "Set-Cookie: session=s1; Path=/; HttpOnly; SameSite=Strict\r\n",
            posted(&String::from_utf8(body).unwrap()),
        ),
        ("GET", Some(page)) => ("200 OK", "", page.clone()),
        _ => ("404 Not Found", "", "<p>not here</p>".to_string()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{html}",
        html.len()
    );
    let mut stream = stream;
    stream.write_all(response.as_bytes()).unwrap();
}

/// The fields of a form body, decoded, as a page listing them.
fn posted(body: &str) -> String {
    let mut fields: Vec<String> = body
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            format!("<li>{}={}</li>", decode(name), decode(value))
        })
        .collect();
    fields.sort();
    format!(
        "<!doctype html><title>Posted</title><h1>Posted</h1><ul id=\"fields\">{}</ul>",
        fields.concat()
    )
}

/// `application/x-www-form-urlencoded` to text (`+` is a space, `%XX` a byte).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
