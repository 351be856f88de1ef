//! Photos end to end: the case syncs before its photo, which shows pending;
//! the bytes go up in chunks that survive cuts at any offset, are checked
//! chunk by chunk and whole, and come down with ETag and Range, only to
//! people who may see the case.

use gridline_core::time::Date;
use gridline_tests::phone::Phone;
use gridline_tests::photo::{Uploader, jpeg, meta, png, sha256_hex};
use gridline_tests::town::{Town, grid_centre};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use reqwest::header;
use serde_json::{Value, json};

fn monday_morning() -> i64 {
    "2025-11-03".parse::<Date>().unwrap().start_ms() + 9 * 3_600_000
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// `case.create@1` at grid column `col` with `photos`' metadata.
fn report_with(id: &str, col: u32, photos: Vec<Value>) -> Value {
    let (lon, lat) = grid_centre(col);
    json!({
        "id": id, "category": "safety_hazard", "description": "路面塌陷，见照片",
        "location": { "lat": lat, "lon": lon }, "photos": photos,
    })
}

/// The photos of case `id` as `phone` holds it.
fn held_photos(phone: &Phone, id: &str) -> Vec<Value> {
    let (_, data) = &phone.rows[&("case".to_owned(), id.to_owned())];
    data["case"]["photos"].as_array().unwrap().clone()
}

async fn blob(town: &Town, user: &str, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut rq = town
        .app
        .client
        .get(town.app.url(path))
        .bearer_auth(town.token(user));
    for (k, v) in headers {
        rq = rq.header(*k, *v);
    }
    rq.send().await.unwrap()
}

async fn head(town: &Town, user: &str, sha: &str) -> reqwest::Response {
    town.app
        .client
        .head(town.app.url(&format!("/v1/blobs/{sha}")))
        .bearer_auth(town.token(user))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_photo_cut_off_at_random_offsets_resumes_and_arrives_whole_after_its_case() {
    let town = Town::build(monday_morning()).await;
    let photo = jpeg(900, 700, 7);
    let sha = sha256_hex(&photo);
    let (p1, case) = (new_id(), new_id());

    // The grid worker's phone syncs the report with the photo's metadata.
    let mut gw = Phone::register(&town.app, town.token("gw1")).await;
    gw.queue(
        "case.create@1",
        report_with(&case, 0, vec![meta(&p1, &photo, "image/jpeg")]),
    );
    let (s, pushed) = gw.push().await;
    assert_eq!(s, StatusCode::OK, "{pushed}");
    assert_eq!(pushed["results"][0]["status"], "applied", "{pushed}");

    // The village cadre sees the case before its photo: pending.
    let mut cadre = Phone::register(&town.app, town.token("cadre1")).await;
    cadre.pull(100).await;
    let shown = held_photos(&cadre, &case);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["id"], p1.as_str());
    assert_eq!(shown[0]["sha256"], sha.as_str());
    assert_eq!(shown[0]["available"], false);
    assert_eq!(
        head(&town, "gw1", &sha).await.status(),
        StatusCode::NOT_FOUND
    );

    let up = Uploader {
        app: &town.app,
        token: town.token("gw1"),
    };
    let (s, st) = up.open(&photo, "image/jpeg").await;
    assert_eq!(s, StatusCode::OK, "{st}");
    let id = st["upload_id"].as_str().unwrap().to_owned();
    let size = st["chunk_size"].as_u64().unwrap() as usize;
    let chunks: Vec<&[u8]> = photo.chunks(size).collect();
    assert!(chunks.len() >= 2, "the photo spans {} chunks", chunks.len());
    assert_eq!(st["chunks"], chunks.len());
    assert_eq!(st["have"], json!([]));

    // Every chunk is first cut off at a random byte, then resumed.
    let mut rng = StdRng::seed_from_u64(15);
    for (n, chunk) in chunks.iter().enumerate() {
        let n = u32::try_from(n).unwrap();
        let cut = rng.random_range(0..chunk.len());
        up.put_cut(&id, n, chunk, cut).await;
        let (s, again) = up.open(&photo, "image/jpeg").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(again["upload_id"], id.as_str(), "starting again resumes");
        assert!(
            !again["have"].as_array().unwrap().contains(&json!(n)),
            "chunk {n} cut at byte {cut} must not count as held: {again}"
        );
        let (s, after) = up.put(&id, n, chunk, &sha256_hex(chunk)).await;
        assert_eq!(s, StatusCode::OK, "{after}");
        assert!(after["have"].as_array().unwrap().contains(&json!(n)));
    }

    // A chunk corrupted on the way is refused and the good one stays.
    let mut bad = chunks[0].to_vec();
    bad[100] ^= 0xFF;
    let (s, e) = up.put(&id, 0, &bad, &sha256_hex(chunks[0])).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["code"], "chunk_corrupt");
    let (s, e) = up
        .put(&id, 0, &chunks[0][..1000], &sha256_hex(&chunks[0][..1000]))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a short chunk: {e}");
    let (s, e) = up.put(&id, 99, chunks[0], &sha256_hex(chunks[0])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["message"].as_str().unwrap().contains("chunk 99"), "{e}");

    // Another person cannot touch this upload.
    let other = Uploader {
        app: &town.app,
        token: town.token("cadre1"),
    };
    let (s, _) = other.complete(&id).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, done) = up.complete(&id).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["complete"], true);

    // Whole, byte for byte, with its validators.
    let h = head(&town, "gw1", &sha).await;
    assert_eq!(h.status(), StatusCode::OK);
    assert_eq!(
        h.headers()[header::CONTENT_LENGTH],
        photo.len().to_string().as_str()
    );
    let etag = format!("\"{sha}\"");
    let r = blob(&town, "cadre1", &format!("/v1/blobs/{sha}"), &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::ETAG], etag.as_str());
    assert_eq!(r.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert!(
        r.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let got = r.bytes().await.unwrap();
    assert_eq!(sha256_hex(&got), sha);

    // A download cut at a random point resumes with Range.
    let at = rng.random_range(1..photo.len());
    let r = blob(
        &town,
        "cadre1",
        &format!("/v1/blobs/{sha}"),
        &[("Range", &format!("bytes={at}-")), ("If-Range", &etag)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        r.headers()[header::CONTENT_RANGE],
        format!("bytes {at}-{}/{}", photo.len() - 1, photo.len()).as_str()
    );
    let mut joined = photo[..at].to_vec();
    joined.extend_from_slice(&r.bytes().await.unwrap());
    assert_eq!(sha256_hex(&joined), sha);
    let r = blob(
        &town,
        "cadre1",
        &format!("/v1/blobs/{sha}"),
        &[("Range", &format!("bytes={}-", photo.len()))],
    )
    .await;
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        r.headers()[header::CONTENT_RANGE],
        format!("bytes */{}", photo.len()).as_str()
    );
    let r = blob(
        &town,
        "cadre1",
        &format!("/v1/blobs/{sha}"),
        &[("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);

    // The thumbnail is a small JPEG.
    let r = blob(
        &town,
        "cadre1",
        &format!("/v1/blobs/{sha}?variant=thumb"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CONTENT_TYPE], "image/jpeg");
    let thumb = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (320, 249));

    // The case changed when the photo arrived: phones see it available.
    cadre.pull(100).await;
    assert_eq!(held_photos(&cadre, &case)[0]["available"], true);
    let actions: Vec<String> = {
        let (_, data) = &cadre.rows[&("case".to_owned(), case.clone())];
        data["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        actions.contains(&"photo".to_owned()) && actions.contains(&"photo_stored".to_owned()),
        "{actions:?}"
    );

    // Sending it again is a no-op; so is attaching the same bytes to
    // another case, which shows them available at once.
    let (s, again) = up.open(&photo, "image/jpeg").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again["complete"], true);
    assert_eq!(again["upload_id"], Value::Null);
    let (p2, case2) = (new_id(), new_id());
    gw.queue(
        "case.create@1",
        report_with(&case2, 1, vec![meta(&p2, &photo, "image/jpeg")]),
    );
    let (s, pushed) = gw.push().await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(pushed["results"][1]["status"], "applied", "{pushed}");
    let (_, view) = town.get("gw1", &format!("/v1/cases/{case2}")).await;
    assert_eq!(view["photos"][0]["available"], true, "{view}");

    // Outside the case's scope the photo does not exist.
    for who in ["gw2", "cadre2"] {
        assert_eq!(
            head(&town, who, &sha).await.status(),
            StatusCode::NOT_FOUND,
            "{who}"
        );
        let r = blob(&town, who, &format!("/v1/blobs/{sha}"), &[]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}");
        let r = blob(&town, who, &format!("/v1/blobs/{sha}?variant=thumb"), &[]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}");
        let (s, _) = Uploader {
            app: &town.app,
            token: town.token(who),
        }
        .open(&photo, "image/jpeg")
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{who}");
    }
}

#[tokio::test]
async fn photo_limits_types_and_bad_uploads_get_clear_refusals() {
    let town = Town::build(monday_morning()).await;
    let mut gw = Phone::register(&town.app, town.token("gw1")).await;
    let case = new_id();
    let nine: Vec<Vec<u8>> = (0..9).map(|i| png(8, 8, i)).collect();
    let metas: Vec<Value> = nine
        .iter()
        .map(|b| meta(&new_id(), b, "image/png"))
        .collect();
    gw.queue("case.create@1", report_with(&case, 0, metas.clone()));
    let tenth = png(8, 8, 99);
    let p10 = new_id();
    let attach = |photo: &str, bytes: &[u8], mime: &str| {
        let mut m = meta(photo, bytes, mime);
        m["case"] = json!(case);
        m
    };
    gw.queue("photo.attach@1", attach(&p10, &tenth, "image/png"));
    gw.queue("photo.attach@1", attach(&new_id(), &tenth, "image/gif"));
    let mut huge = attach(&new_id(), &tenth, "image/jpeg");
    huge["bytes"] = json!(20_000_000);
    gw.queue("photo.attach@1", huge);
    // The first photo again, as a phone resending it would.
    let mut first = metas[0].clone();
    first["case"] = json!(case);
    gw.queue("photo.attach@1", first);
    let (s, r) = gw.push().await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let res = r["results"].as_array().unwrap();
    assert_eq!(res[0]["status"], "applied", "{r}");
    assert_eq!(res[1]["status"], "rejected");
    assert_eq!(res[1]["code"], "too_many_photos", "{r}");
    assert_eq!(res[2]["code"], "invalid_args");
    assert!(
        res[2]["message"].as_str().unwrap().contains("image/gif"),
        "{r}"
    );
    assert_eq!(res[3]["code"], "invalid_args");
    assert!(
        res[3]["message"].as_str().unwrap().contains("at most"),
        "{r}"
    );
    assert_eq!(res[4]["status"], "duplicate", "{r}");
    let (_, view) = town.get("gw1", &format!("/v1/cases/{case}")).await;
    assert_eq!(view["photos"].as_array().unwrap().len(), 9);

    // A PNG goes up in one chunk and gets a thumbnail.
    let up = Uploader {
        app: &town.app,
        token: town.token("gw1"),
    };
    let (s, done) = up.send_all(&nine[0], "image/png").await;
    assert_eq!(s, StatusCode::OK, "{done}");
    let sha0 = sha256_hex(&nine[0]);
    let r = blob(
        &town,
        "gw1",
        &format!("/v1/blobs/{sha0}?variant=thumb"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(image::load_from_memory(&r.bytes().await.unwrap()).is_ok());
    let r = blob(&town, "gw1", &format!("/v1/blobs/{sha0}?variant=huge"), &[]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // An upload must match what was attached.
    let (s, e) = up.open(&nine[1][..10], "image/png").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "a digest nobody attached: {e}");
    let (s, e) = Uploader {
        app: &town.app,
        token: town.token("gw1"),
    }
    .open(&nine[1], "image/jpeg")
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["message"].as_str().unwrap().contains("image/png"), "{e}");

    // Bytes that are not the image they claim to be: refused whole, and
    // nothing is stored.
    let web_case = town.report("gw1", 0, "safety_hazard", json!({})).await;
    let web_id = web_case["id"].as_str().unwrap();
    let not_image = b"GIF89a this is not a jpeg at all".repeat(10);
    let (s, v) = town
        .post(
            "gw1",
            &format!("/v1/cases/{web_id}/photos"),
            &meta(&new_id(), &not_image, "image/jpeg"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["photos"][0]["available"], false);
    let (s, e) = up.send_all(&not_image, "image/jpeg").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["code"], "not_an_image");
    let truncated_jpeg = {
        let mut j = jpeg(64, 64, 3);
        j.truncate(200);
        j
    };
    let (s, _) = town
        .post(
            "gw1",
            &format!("/v1/cases/{web_id}/photos"),
            &meta(&new_id(), &truncated_jpeg, "image/jpeg"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, e) = up.send_all(&truncated_jpeg, "image/jpeg").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["code"], "not_an_image");
    assert_eq!(
        head(&town, "gw1", &sha256_hex(&not_image)).await.status(),
        StatusCode::NOT_FOUND
    );

    // Chunks that each check out but do not make the photo declared: the
    // whole is refused and the chunks are dropped, so the phone starts over.
    let real = jpeg(64, 64, 5);
    let (s, _) = town
        .post(
            "gw1",
            &format!("/v1/cases/{web_id}/photos"),
            &meta(&new_id(), &real, "image/jpeg"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, st) = up.open(&real, "image/jpeg").await;
    let id = st["upload_id"].as_str().unwrap();
    let mut other = real.clone();
    other[real.len() / 2] ^= 1;
    let (s, _) = up.complete(id).await;
    assert_eq!(s, StatusCode::CONFLICT, "nothing sent yet");
    let (s, _) = up.put(id, 0, &other, &sha256_hex(&other)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = up.complete(id).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["code"], "upload_corrupt");
    let (_, st) = up.open(&real, "image/jpeg").await;
    assert_eq!(st["have"], json!([]), "{st}");
    let (s, done) = up.send_all(&real, "image/jpeg").await;
    assert_eq!(s, StatusCode::OK, "{done}");

    // The history and the web view agree.
    let (_, view) = town.get("gw1", &format!("/v1/cases/{web_id}")).await;
    let avail: Vec<bool> = view["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["available"].as_bool().unwrap())
        .collect();
    assert_eq!(avail, [false, false, true], "{view}");
    // A tenth photo from the web is refused too.
    let (s, e) = town
        .post(
            "gw1",
            &format!("/v1/cases/{case}/photos"),
            &meta(&new_id(), &tenth, "image/png"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["code"], "too_many_photos");
}

#[tokio::test]
async fn knowing_a_photos_digest_is_not_having_it() {
    // A grid worker in village one photographs a dispute.
    let town = Town::build(monday_morning()).await;
    let photo = jpeg(120, 90, 11);
    let case = town.report("gw1", 0, "safety_hazard", json!({})).await;
    let id = case["id"].as_str().unwrap();
    let (s, _) = town
        .post(
            "gw1",
            &format!("/v1/cases/{id}/photos"),
            &meta(&new_id(), &photo, "image/jpeg"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = Uploader {
        app: &town.app,
        token: town.token("gw1"),
    }
    .send_all(&photo, "image/jpeg")
    .await;
    assert_eq!(s, StatusCode::OK);

    // Someone in village two who learnt the digest attaches it to a case
    // of their own: it stays pending, and the server asks for the bytes.
    let theirs = town.report("gw2", 2, "safety_hazard", json!({})).await;
    let theirs = theirs["id"].as_str().unwrap();
    let sha = sha256_hex(&photo);
    let (s, v) = town
        .post(
            "gw2",
            &format!("/v1/cases/{theirs}/photos"),
            &meta(&new_id(), &photo, "image/jpeg"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(v["photos"][0]["available"], false, "{v}");
    assert_eq!(
        head(&town, "gw2", &sha).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        blob(&town, "gw2", &format!("/v1/blobs/{sha}"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let up = Uploader {
        app: &town.app,
        token: town.token("gw2"),
    };
    let (s, st) = up.open(&photo, "image/jpeg").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(st["complete"], false, "the bytes are asked for: {st}");
    // Without them, nothing: a wrong whole is refused.
    let id2 = st["upload_id"].as_str().unwrap();
    let junk = vec![0xAB; photo.len()];
    let (s, _) = up.put(id2, 0, &junk, &sha256_hex(&junk)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = up.complete(id2).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        blob(&town, "gw2", &format!("/v1/blobs/{sha}"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // With them (it really is the same photo), it is theirs to see.
    let (s, done) = up.send_all(&photo, "image/jpeg").await;
    assert_eq!(s, StatusCode::OK, "{done}");
    let r = blob(&town, "gw2", &format!("/v1/blobs/{sha}"), &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(sha256_hex(&r.bytes().await.unwrap()), sha);
    let (_, v) = town.get("gw2", &format!("/v1/cases/{theirs}")).await;
    assert_eq!(v["photos"][0]["available"], true);
}
