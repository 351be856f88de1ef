use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gridline_tests::{PASSWORD, TestApp};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::json;

fn now() -> i64 {
    gridline_api::clock::now_ms() / 1000
}

async fn secret(app: &TestApp) -> String {
    app.state
        .store
        .meta("jwt_secret")
        .await
        .unwrap()
        .expect("generated secret")
}

async fn user_id(app: &TestApp, username: &str) -> String {
    app.state
        .store
        .user_by_username(username)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

#[tokio::test]
async fn login_gives_tokens_that_open_the_api() {
    let (app, _) = TestApp::spawn_demo().await;
    let t = app.login("cadre").await;
    assert_eq!(t.expires_in, 900);
    assert!(t.refresh_token.starts_with("glr_"));
    let (status, me) = app.get("/v1/me", &t.access_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "cadre");
    assert_eq!(me["roles"][0]["role"], "village_cadre");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let (app, _) = TestApp::spawn_demo().await;
    for (user, pass) in [("cadre", "not-the-password"), ("nobody", PASSWORD)] {
        let r = app.login_raw(user, pass).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            r.json::<serde_json::Value>().await.unwrap()["code"],
            "bad_credentials"
        );
    }
}

#[tokio::test]
async fn expired_forged_wrongly_signed_none_and_other_key_tokens_are_refused() {
    let (app, _) = TestApp::spawn_demo().await;
    let good = app.login("cadre").await;
    let secret = secret(&app).await;
    let sub = user_id(&app, "cadre").await;
    // The session id of the good token, so only the token itself is wrong.
    let payload: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(good.access_token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let sid = payload["sid"].as_str().unwrap().to_owned();
    let claims =
        |exp: i64| json!({ "sub": sub, "sid": sid, "iat": now(), "exp": exp, "iss": "gridline" });
    let sign = |alg: Algorithm, key: &[u8], exp: i64| {
        jsonwebtoken::encode(
            &Header::new(alg),
            &claims(exp),
            &EncodingKey::from_secret(key),
        )
        .unwrap()
    };

    let expired = sign(Algorithm::HS256, secret.as_bytes(), now() - 120);
    let other_key = sign(
        Algorithm::HS256,
        b"someone else's key of 32 bytes!!",
        now() + 600,
    );
    let other_alg = sign(Algorithm::HS384, secret.as_bytes(), now() + 600);
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims(now() + 600).to_string())
    );
    // Forged: a valid token whose payload was edited to another user.
    let mut parts: Vec<String> = good.access_token.split('.').map(str::to_owned).collect();
    let mut edited = payload.clone();
    edited["sub"] = json!(user_id(&app, "admin").await);
    parts[1] = URL_SAFE_NO_PAD.encode(edited.to_string());
    let forged = parts.join(".");

    for (what, token) in [
        ("expired", expired),
        ("other key", other_key),
        ("HS384", other_alg),
        ("alg none", none),
        ("forged", forged),
        ("garbage", "abc.def.ghi".into()),
    ] {
        let (status, body) = app.get("/v1/me", &token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(body["code"], "unauthenticated", "{what}");
    }
    // And the genuine one still works.
    assert_eq!(
        app.get("/v1/me", &good.access_token).await.0,
        StatusCode::OK
    );
}

/// A JWT with this header and payload, signed HMAC-SHA256 with `key`
/// whatever the header says.
fn hs256_whatever_the_header(
    header: &serde_json::Value,
    payload: &serde_json::Value,
    key: &[u8],
) -> String {
    use hmac::Mac;
    let signing = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(signing.as_bytes());
    format!(
        "{signing}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

#[tokio::test]
async fn key_confusion_header_tricks_and_clock_skew_beyond_five_seconds_are_refused() {
    let (app, _) = TestApp::spawn_demo().await;
    let good = app.login("cadre").await;
    let secret = secret(&app).await;
    let payload: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(good.access_token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let with = |exp: i64| {
        let mut p = payload.clone();
        p["exp"] = json!(exp);
        p
    };
    let hs256 = json!({ "alg": "HS256", "typ": "JWT" });
    // What the server itself would sign, to show the tricks below are what
    // is refused, not the claims.
    let control = hs256_whatever_the_header(&hs256, &with(now() + 600), secret.as_bytes());
    assert_eq!(app.get("/v1/me", &control).await.0, StatusCode::OK);

    let future = with(now() + 600);
    let mut other_issuer = future.clone();
    other_issuer["iss"] = json!("someone-else");
    let mut no_session = future.clone();
    no_session.as_object_mut().unwrap().remove("sid");
    let mut other_session = future.clone();
    other_session["sid"] = json!(uuid::Uuid::now_v7().to_string());
    for (what, token) in [
        // The HMAC secret passed off as an RSA or EC public key.
        (
            "RS256 header, HMAC signature",
            hs256_whatever_the_header(
                &json!({ "alg": "RS256", "typ": "JWT" }),
                &future,
                secret.as_bytes(),
            ),
        ),
        (
            "ES256 header, HMAC signature",
            hs256_whatever_the_header(&json!({ "alg": "ES256" }), &future, secret.as_bytes()),
        ),
        (
            "lower-case alg",
            hs256_whatever_the_header(&json!({ "alg": "hs256" }), &future, secret.as_bytes()),
        ),
        // A key id or key URL pointing somewhere the attacker controls.
        (
            "kid to an empty key",
            hs256_whatever_the_header(
                &json!({ "alg": "HS256", "kid": "../../../dev/null" }),
                &future,
                b"",
            ),
        ),
        (
            "jku to another key",
            hs256_whatever_the_header(
                &json!({ "alg": "HS256", "jku": "http://127.0.0.1:9/keys" }),
                &future,
                b"attacker's key, 32 bytes long..",
            ),
        ),
        ("empty key", hs256_whatever_the_header(&hs256, &future, b"")),
        (
            "other issuer",
            hs256_whatever_the_header(&hs256, &other_issuer, secret.as_bytes()),
        ),
        (
            "no session",
            hs256_whatever_the_header(&hs256, &no_session, secret.as_bytes()),
        ),
        (
            "a session never opened",
            hs256_whatever_the_header(&hs256, &other_session, secret.as_bytes()),
        ),
        ("no signature", {
            let mut t = control.clone();
            t.truncate(t.rfind('.').unwrap() + 1);
            t
        }),
        ("two dots only", "..".to_owned()),
        // A replica whose clock runs behind still honours a token within
        // five seconds of its end, and no further.
        (
            "expired 30 s ago",
            hs256_whatever_the_header(&hs256, &with(now() - 30), secret.as_bytes()),
        ),
    ] {
        let (status, body) = app.get("/v1/me", &token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
        assert_eq!(body["code"], "unauthenticated", "{what}");
    }
    let just_expired = hs256_whatever_the_header(&hs256, &with(now() - 2), secret.as_bytes());
    assert_eq!(
        app.get("/v1/me", &just_expired).await.0,
        StatusCode::OK,
        "two seconds of skew are tolerated"
    );
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/v1/auth/refresh"))
        .json(&json!({ "refresh_token": token }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_refresh_token_works_once_and_a_replay_ends_the_session() {
    let (app, _) = TestApp::spawn_demo().await;
    let first = app.login("grid-worker").await;
    let r = refresh(&app, &first.refresh_token).await;
    assert_eq!(r.status(), StatusCode::OK);
    let second: gridline_core::wire::auth::TokenResponse = r.json().await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(
        app.get("/v1/me", &second.access_token).await.0,
        StatusCode::OK
    );

    // Using the spent token again is refused…
    let r = refresh(&app, &first.refresh_token).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "invalid_refresh_token"
    );
    // …and ends the session, so the newer tokens stop working too.
    assert_eq!(
        refresh(&app, &second.refresh_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/v1/me", &second.access_token).await.0,
        StatusCode::UNAUTHORIZED
    );
    // Another login is unaffected.
    let other = app.login("grid-worker").await;
    assert_eq!(
        app.get("/v1/me", &other.access_token).await.0,
        StatusCode::OK
    );
    assert_eq!(
        refresh(&app, "glr_unknown").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn logout_revokes_the_access_and_refresh_tokens() {
    let (app, _) = TestApp::spawn_demo().await;
    let t = app.login("resident").await;
    let other_device = app.login("resident").await;
    let r = app
        .client
        .post(app.url("/v1/auth/logout"))
        .bearer_auth(&t.access_token)
        .json(&json!({ "refresh_token": t.refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/v1/me", &t.access_token).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refresh(&app, &t.refresh_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The same person's other session stays.
    assert_eq!(
        app.get("/v1/me", &other_device.access_token).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn wrong_passwords_are_throttled_per_account() {
    let (app, _) = TestApp::spawn_demo().await;
    for _ in 0..5 {
        assert_eq!(
            app.login_raw("cadre", "guess-guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let r = app.login_raw("cadre", PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "rate_limited"
    );
    // Other accounts are not locked by it.
    assert_eq!(
        app.login_raw("resident", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn wrong_passwords_are_throttled_per_address() {
    let (app, _) = TestApp::spawn_demo().await;
    // 20 failures spread over accounts, none of which hits its own limit.
    let users = [
        "admin",
        "county-operator",
        "township-operator",
        "cadre",
        "grid-worker",
    ];
    for i in 0..20 {
        assert_eq!(
            app.login_raw(users[i % users.len()], "guess-guess")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.login_raw("resident", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn admins_create_accounts_and_reset_passwords_and_nobody_else_may() {
    let town = gridline_tests::town::Town::build(gridline_api::clock::now_ms()).await;
    let new = |username: &str, unit: &str, password: &str| {
        json!({ "username": username, "display_name": "孙网格员", "password": password,
                "roles": [{ "role": "grid_worker", "unit": unit }] })
    };
    let grid = "654023101201002";
    let (s, body) = town
        .post("cadre1", "/v1/users", &new("gw1b", grid, PASSWORD))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    for (body, code, names) in [
        (new("GW 1b", grid, PASSWORD), "invalid_input", "username"),
        (
            new("gw1b", "999", PASSWORD),
            "invalid_input",
            "roles[0].unit",
        ),
        (new("gw1b", grid, "short"), "invalid_input", "password"),
        (
            json!({ "username": "gw1b", "password": PASSWORD, "roles": [] }),
            "invalid_input",
            "roles",
        ),
        (
            json!({ "username": "gw1b", "password": PASSWORD, "roles": [{ "role": "mayor", "unit": grid }] }),
            "invalid_input",
            "role",
        ),
        (new("gw1", grid, PASSWORD), "conflict", "gw1"),
    ] {
        let (s, err) = town.post("admin", "/v1/users", &body).await;
        assert_eq!(err["code"], code, "{body} → {s} {err}");
        assert!(err["message"].as_str().unwrap().contains(names), "{err}");
    }
    assert_eq!(
        town.app.login_raw("gw1b", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "nothing was created by the refused requests"
    );

    let (s, me) = town
        .post("admin", "/v1/users", &new("gw1b", grid, PASSWORD))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{me}");
    assert_eq!(me["roles"][0]["org_unit"]["code"], grid);
    let token = town.app.login("gw1b").await.access_token;
    let (_, who) = town.app.get("/v1/me", &token).await;
    assert_eq!(who["roles"], me["roles"]);

    // A forgotten password: the admin sets a new one; the old one stops working.
    let put = |user: &str, token: &str, password: &str| {
        town.app
            .client
            .put(town.app.url(&format!("/v1/users/{user}/password")))
            .bearer_auth(token.to_owned())
            .json(&json!({ "password": password }))
            .send()
    };
    let r = put("gw1b", &token, "another-password").await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = put("nobody", town.token("admin"), "another-password")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = put("gw1b", town.token("admin"), "another-password")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        town.app.login_raw("gw1b", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        town.app
            .login_raw("gw1b", "another-password")
            .await
            .status(),
        StatusCode::OK
    );
}
