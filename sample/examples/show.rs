//! Print one rendered page of the default province: `cargo run -p gongkai-sample --example show -- HOST PATH`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let p = gongkai_sample::Province::default_at(gongkai_sample::default_t0());
    let r = p.render(&args[1], args.get(2).map(String::as_str).unwrap_or("/")).expect("unknown host");
    eprintln!("{} {:?}", r.status, r.headers);
    let (text, _, _) = encoding_rs::GBK.decode(&r.body);
    let text = if r.header("content-type").is_some_and(|c| c.contains("utf-8")) {
        String::from_utf8_lossy(&r.body).into_owned()
    } else {
        text.into_owned()
    };
    println!("{text}");
}
