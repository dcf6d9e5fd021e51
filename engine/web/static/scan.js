// Reads a shift's QR code with the camera (jsQR) and fills the code field; typing it works without this.
(function () {
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var input = document.getElementById("f-code");
  var status = document.getElementById("scan-status");
  if (!video || !canvas || !input) { return; }
  function noCamera() {
    video.classList.add("hidden");
    document.getElementById("scan-nocam").classList.remove("hidden");
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) { noCamera(); return; }
  function codeFrom(text) {
    try { var u = new URL(text); var c = u.searchParams.get("code"); if (c) { return c; } } catch (e) { /* not a URL */ }
    return text.trim();
  }
  navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
    video.srcObject = stream;
    video.play();
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    function tick() {
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
        if (found && found.data) {
          input.value = codeFrom(found.data).slice(0, 32);
          status.textContent = status.getAttribute("data-found") || input.value;
          stream.getTracks().forEach(function (t) { t.stop(); });
          input.focus();
          return;
        }
      }
      window.requestAnimationFrame(tick);
    }
    window.requestAnimationFrame(tick);
  }).catch(noCamera);
})();
