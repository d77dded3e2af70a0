// 执法取证: resumable evidence upload (tus 1.0 via tus-js-client) with visible progress.
// An upload's address is kept in localStorage under a fingerprint of the file, so after a dropped
// connection it retries by itself, and after a page reload choosing the same file continues it.
(function () {
  "use strict";
  const root = document.getElementById("capture");
  if (!root || !window.tus) return;
  const endpoint = root.dataset.endpoint;
  const csrf = root.dataset.csrf;
  const maxBytes = Number(root.dataset.maxBytes);
  const chunkSize = window.ZHIFA_CHUNK_SIZE || 8 * 1024 * 1024;
  const list = document.getElementById("uploads");
  const waiting = new Set(); // uploads stopped by a network error, restarted when back online

  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: "/m/" }).catch(() => {});
  }

  // 📍 fills the location with the phone's position (the officer may still edit or clear it).
  const locate = document.getElementById("locate");
  if (locate && "geolocation" in navigator) {
    const status = document.getElementById("locate-status");
    locate.hidden = false;
    locate.addEventListener("click", () => {
      status.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          const c = pos.coords;
          const text = "北纬" + c.latitude.toFixed(6) + "，东经" + c.longitude.toFixed(6) + "（精度约" + Math.round(c.accuracy) + "米）";
          const field = document.getElementById("location");
          field.value = field.value ? field.value + "；" + text : text;
          status.textContent = "已填入定位";
        },
        (err) => {
          status.textContent = err.code === 1 ? "未获得定位权限，可手工填写地点" : "暂时无法定位，可手工填写地点";
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function fingerprint(file) {
    return Promise.resolve(["zhifa-evidence", file.name, file.type, file.size, file.lastModified].join("|"));
  }

  function sizeText(n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KB";
    if (n < 1024 * 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + " MB";
    return (n / 1024 / 1024 / 1024).toFixed(2) + " GB";
  }

  function selectedCase() {
    const checked = document.querySelector("input[name=case]:checked");
    return checked ? { id: checked.value, label: checked.dataset.label } : null;
  }

  function serverMessage(error) {
    const res = error && error.originalResponse;
    if (!res) return "网络连接中断";
    const body = (res.getBody && res.getBody()) || "";
    return body.trim() || "服务器返回错误（" + res.getStatus() + "）";
  }

  function makeRow(file, caseLabel) {
    const row = document.createElement("div");
    row.className = "upload-row";
    row.innerHTML =
      '<div class="row-head"><strong class="name"></strong><span class="pct">0%</span></div>' +
      '<div class="muted where"></div>' +
      '<progress max="100" value="0"></progress>' +
      '<div class="status" role="status">准备上传…</div>' +
      '<div class="row-actions"></div>';
    row.querySelector(".name").textContent = file.name;
    row.querySelector(".where").textContent = caseLabel + " · " + sizeText(file.size);
    list.prepend(row);
    return {
      row,
      progress(sent, total) {
        const pct = total ? Math.floor((sent / total) * 100) : 0;
        row.querySelector("progress").value = pct;
        row.querySelector(".pct").textContent = pct + "%";
        row.querySelector(".status").textContent = "已上传 " + sizeText(sent) + " / " + sizeText(total);
      },
      status(text, css) {
        const el = row.querySelector(".status");
        el.textContent = text;
        el.className = "status " + (css || "");
      },
      action(label, handler) {
        const actions = row.querySelector(".row-actions");
        actions.innerHTML = "";
        if (!label) return;
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = label;
        button.addEventListener("click", handler);
        actions.append(button);
      },
      done(url) {
        row.querySelector("progress").value = 100;
        row.querySelector(".pct").textContent = "100%";
        const el = row.querySelector(".status");
        el.className = "status ok";
        el.textContent = "上传完成，已校验并存证。";
        if (url) {
          const link = document.createElement("a");
          link.href = url;
          link.textContent = " 查看证据";
          el.append(link);
        }
        this.action(null);
      },
    };
  }

  function start(file) {
    const chosen = selectedCase();
    if (!chosen) return;
    if (file.size === 0) {
      makeRow(file, chosen.label).status("文件是空的，未上传。", "bad");
      return;
    }
    const ui = makeRow(file, chosen.label);
    if (file.size > maxBytes) {
      ui.status("文件过大：单个证据文件不能超过 " + sizeText(maxBytes) + "。", "bad");
      return;
    }
    const captured = new Date(file.lastModified || Date.now());
    const upload = new tus.Upload(file, {
      endpoint,
      chunkSize,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000],
      headers: { "X-CSRFToken": csrf },
      metadata: {
        case: chosen.id,
        kind: document.getElementById("kind").value,
        activity: document.getElementById("activity").value,
        captured_at: captured.toISOString(),
        description: document.getElementById("description").value,
        location: document.getElementById("location").value,
        device: navigator.userAgent.slice(0, 200),
        filename: file.name,
        filetype: file.type || "application/octet-stream",
      },
      fingerprint,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onShouldRetry(error, attempt) {
        const res = error && error.originalResponse;
        const status = res ? res.getStatus() : 0;
        const retry = !(status >= 400 && status < 500) || status === 409 || status === 423;
        if (retry) ui.status("网络中断，正在第" + (attempt + 1) + "次重试，已上传的部分不会丢失…", "warn");
        return retry;
      },
      onProgress(sent, total) {
        ui.progress(sent, total);
      },
      onSuccess(payload) {
        waiting.delete(upload);
        const res = payload && payload.lastResponse;
        ui.done(res && res.getHeader("Zhifa-Evidence-Url"));
        showPending();
      },
      onError(error) {
        const res = error && error.originalResponse;
        if (!res || res.getStatus() >= 500) {
          waiting.add(upload);
          ui.status("网络中断，已保存上传进度；恢复网络后自动继续。", "warn");
          ui.action("立即重试", () => upload.start());
        } else {
          ui.status("上传失败：" + serverMessage(error), "bad");
          ui.action(null);
        }
      },
    });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) {
        const meta = previous[0].metadata || {};
        ui.status("继续上次中断的上传…", "");
        if (meta.case && meta.case !== chosen.id) {
          ui.row.querySelector(".where").textContent = "继续上传到原案件（ID " + meta.case + "） · " + sizeText(file.size);
        }
        upload.resumeFromPreviousUpload(previous[0]);
      }
      upload.start();
      ui.action("暂停", function pause() {
        upload.abort();
        ui.status("已暂停", "");
        ui.action("继续", () => {
          upload.start();
          ui.action("暂停", pause);
        });
      });
    });
  }

  for (const id of ["camera", "gallery"]) {
    const input = document.getElementById(id);
    if (!input) continue;
    input.addEventListener("change", () => {
      for (const file of input.files) start(file);
      input.value = "";
    });
  }

  // Uploads interrupted before this page was (re)loaded: show how far each got.
  function showPending() {
    const box = document.getElementById("pending");
    const ul = document.getElementById("pending-list");
    if (!box) return;
    ul.innerHTML = "";
    let count = 0;
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key || !key.startsWith("tus::zhifa-evidence|")) continue;
      let entry;
      try {
        entry = JSON.parse(localStorage.getItem(key));
      } catch (e) {
        continue;
      }
      count++;
      const li = document.createElement("li");
      const name = (entry.metadata && entry.metadata.filename) || "文件";
      li.textContent = name + "（" + sizeText(entry.size || 0) + "）";
      ul.append(li);
      fetch(entry.uploadUrl, { method: "HEAD", headers: { "Tus-Resumable": "1.0.0" }, credentials: "same-origin" })
        .then((res) => {
          if (res.status === 404 || res.status === 410) {
            localStorage.removeItem(key);
            li.remove();
            return;
          }
          const offset = Number(res.headers.get("Upload-Offset"));
          const length = Number(res.headers.get("Upload-Length")) || entry.size;
          if (length) li.textContent = name + "：已上传 " + Math.floor((offset / length) * 100) + "%，请重新选择该文件继续";
        })
        .catch(() => {});
    }
    box.hidden = count === 0;
  }
  showPending();

  const offline = document.getElementById("offline");
  window.addEventListener("offline", () => (offline.hidden = false));
  window.addEventListener("online", () => {
    offline.hidden = true;
    for (const upload of waiting) upload.start();
    waiting.clear();
  });
})();
