// Share links on a story page (progressive enhancement; without JavaScript the
// Facebook and Zalo links still work). Shows the "copy link" button, which copies
// the story's address, and makes the share links absolute where the build
// printed a site-relative address (development builds have no SITEURL).

const list = document.querySelector(".share-links");
if (list) {
  const url = new URL(list.dataset.url || location.href, location.href).href;
  for (const link of list.querySelectorAll("a[data-share]")) {
    link.href = link.dataset.share + encodeURIComponent(url);
  }
  const printed = document.querySelector(".print-url-value");
  if (printed) printed.textContent = url;
  const button = list.querySelector(".share-copy");
  const status = document.querySelector(".share-status");
  if (button && navigator.clipboard) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(url);
        status.textContent = "Đã sao chép liên kết bài viết.";
      } catch {
        status.textContent = `Không sao chép được. Liên kết: ${url}`;
      }
    });
  }
}
