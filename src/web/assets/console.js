// The console's one script: a progress indicator while a large spreadsheet uploads and is checked.
// Everything works without it (the form posts as usual).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-progress')) return;
  const status = form.querySelector('[data-progress-status]');
  const file = form.querySelector('input[type=file]');
  const size = file && file.files && file.files[0] ? file.files[0].size : 0;
  if (status) {
    status.hidden = false;
    const mb = (size / 1024 / 1024).toFixed(1);
    status.querySelector('span').textContent = `正在上传并检查文件（${mb} MB），请稍候…`;
  }
  for (const button of form.querySelectorAll('button')) button.disabled = true;
});
