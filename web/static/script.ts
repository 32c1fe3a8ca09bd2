/**
 * The only script of the web app (served at /static/app.<hash>.js; CSP forbids inline script). Everything works
 * without it; it only (1) disables a POST form's buttons once submitted, against double clicks, (2) asks for
 * confirmation on buttons marked data-confirm (not while a required field is blank: the server's message on that
 * field comes first), (3) shows the manual offer id field only when "manual" is chosen, (4) refreshes an element marked data-refresh (the console's list) from that address every data-refresh-seconds,
 * while the tab is visible; a failed or redirected fetch (session ended) leaves the page as it is, (5) fills a field
 * marked data-time-zone with the browser's time zone (the inquiry: dates in the buyer's mails read in it).
 */
export const APP_JS = `
(function(){
  document.addEventListener('submit',function(e){
    var f=e.target,b=e.submitter;
    var blank=[].some.call(f.querySelectorAll('[required]'),function(x){return !String(x.value||'').trim()});
    if(b&&b.dataset.confirm&&!blank&&!window.confirm(b.dataset.confirm)){e.preventDefault();return}
    if((f.method||'').toLowerCase()!=='post')return;
    if(f.dataset.sent){e.preventDefault();return}
    f.dataset.sent='1';
    setTimeout(function(){f.querySelectorAll('button').forEach(function(x){x.disabled=true})},0);
  });
  function sync(form){
    var m=form.querySelector('input[name=offerCreation][value=manual]'),box=form.querySelector('[data-when-manual]');
    if(m&&box){box.hidden=!m.checked}
  }
  document.querySelectorAll('form').forEach(function(f){sync(f);f.addEventListener('change',function(){sync(f)})});
  document.querySelectorAll('input[data-time-zone]').forEach(function(el){
    try{if(!el.value)el.value=Intl.DateTimeFormat().resolvedOptions().timeZone||''}catch(_){}
  });
  document.querySelectorAll('[data-refresh]').forEach(function(el){
    var secs=Number(el.dataset.refreshSeconds)||30;
    if(!window.fetch)return;
    setInterval(function(){
      if(document.hidden)return;
      fetch(el.dataset.refresh,{credentials:'same-origin',headers:{accept:'text/html'}})
        .then(function(r){return r.ok&&!r.redirected?r.text():''})
        .then(function(t){if(t)el.innerHTML=t})
        ['catch'](function(){});
    },secs*1000);
  });
})();
`.trim();
