/// The pages' script: renders every page from the model's JSON (fetched from `/api/model` live, polled
/// each second while the job runs; embedded in a report). Plain JavaScript, no library.
enum UIScript {
    static let source = #"""
        "use strict";
        window.onerror=function(m,s,l,c,e){var d=document.getElementById('errors');d.textContent+='Script error: '+m+' (line '+l+')\n';};
        var embedded=document.getElementById('spindle-data');
        var MODELS=embedded?JSON.parse(embedded.textContent):null;
        function esc(s){return String(s==null?'':s).replace(/[&<>"']/g,function(c){return{'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c];});}
        function num(n){return n==null?'':Number(n).toLocaleString('en-US');}
        function bytes(n){if(n==null)return '';var u=['B','KiB','MiB','GiB','TiB'],i=0;n=Number(n);while(n>=1024&&i<4){n/=1024;i++;}return (i?n.toFixed(1):n)+' '+u[i];}
        function secs(s){if(s==null)return '';s=Number(s);return s<10?s.toFixed(3)+' s':s<600?s.toFixed(1)+' s':Math.floor(s/60)+' min '+Math.round(s%60)+' s';}
        function route(){var h=location.hash?location.hash.slice(1):'';return h||(MODELS?'/':location.pathname);}
        function link(p){return MODELS?'#'+p:p;}
        var PALETTE=['#4e79a7','#59a14f','#f28e2b','#76b7b2','#edc948','#b07aa1','#9c755f','#4b9fd5'];
        function stageColor(i,o){return o==='committed'||o==='running'?PALETTE[i%PALETTE.length]:o==='failed'||o==='lost'?'#c62828':'#b0b6bf';}
        function nav(m){var r=route(),items=[['/','Job'],['/workers','Workers'],['/timeline','Timeline']];
         if(m.supersteps.length)items.push(['/supersteps','Supersteps']);
         if(MODELS&&MODELS.length===2)items=[['/','Compare']].concat(items.slice(1).map(function(x){return x;}));
         document.getElementById('nav').innerHTML=items.map(function(x){return '<a href="'+link(x[0])+'" class="'+(r===x[0]||(x[0]==='/'&&r==='/job')?'on':'')+'">'+x[1]+'</a>';}).join('')+(m.stages.length?' <span class="muted">stages:</span> '+m.stages.map(function(s){return '<a href="'+link('/stages/'+s.index)+'" class="'+(r==='/stages/'+s.index?'on':'')+'">'+esc(s.name)+'</a>';}).join(''):'');}
        function card(label,value,cls){return '<div class="card"><span class="muted">'+esc(label)+'</span><b class="'+(cls||'')+'">'+value+'</b></div>';}
        function progress(done,total){var p=total?Math.min(100,Math.round(100*done/total)):100;return '<span class="bar-outer"><span class="bar-inner" style="display:block;width:'+p+'%"></span></span> '+p+'%';}
        function jobPage(m){var j=m.job,cur=j.current_stage!=null?m.stages[j.current_stage]:null;
         var h='<div class="cards">'+card('job',esc(j.name))+card('state','<span id="job-state">'+esc(j.state)+'</span>','state-'+j.state)+card('elapsed',secs(j.elapsed))+card('current stage',cur?esc(cur.name)+' '+cur.done+'/'+cur.tasks:'none')+
         card('speed',cur?num(Math.round(cur.records_per_second))+' rec/s, '+bytes(Math.round(cur.bytes_per_second))+'/s':'')+card('attempts',num(j.attempts)+(j.failed_attempts?' ('+j.failed_attempts+' failed)':''))+card('workers lost',num(j.workers_lost),j.workers_lost?'state-lost':'')+'</div>';
         if(j.error)h+='<p class="err" id="job-error">'+esc(j.error)+'</p>';
         h+='<h2>Stages</h2><table id="stages"><tr><th>#</th><th>stage</th><th>state</th><th>progress</th><th>tasks</th><th>attempts</th><th>failed</th><th>time</th><th>records in</th><th>bytes in</th><th>records out</th><th>bytes out</th><th>speed</th><th>skew</th></tr>'+
         m.stages.map(function(s){return '<tr class="stage"><td>'+s.index+'</td><td><a href="'+link('/stages/'+s.index)+'">'+esc(s.name)+'</a></td><td class="state-'+esc(s.state)+'">'+esc(s.state)+'</td><td>'+progress(s.done,s.tasks)+'</td><td class="n">'+s.done+'/'+s.tasks+'</td><td class="n">'+s.attempts+'</td><td class="n">'+s.failed+'</td><td class="n">'+secs(s.seconds)+'</td><td class="n">'+num(s.records_in)+'</td><td class="n">'+bytes(s.bytes_in)+'</td><td class="n">'+num(s.records_out)+'</td><td class="n">'+bytes(s.bytes_out)+'</td><td class="n">'+bytes(Math.round(s.bytes_per_second))+'/s</td><td>'+(s.skewed?'<span class="skew">skew</span>':'')+'</td></tr>';}).join('')+'</table>';
         var c=Object.keys(j.counters);h+='<div class="cols"><div><h2>Counters</h2>'+(c.length?'<table id="counters">'+c.map(function(k){return '<tr><td>'+esc(k)+'</td><td class="n counter" data-name="'+esc(k)+'" data-value="'+j.counters[k]+'">'+num(j.counters[k])+'</td></tr>';}).join('')+'</table>':'<p class="muted">Counters appear when the job commits its output.</p>')+'</div>';
         var p=Object.keys(j.parameters);h+='<div><h2>Parameters</h2><table>'+(p.length?p.map(function(k){return '<tr><td>'+esc(k)+'</td><td>'+esc(j.parameters[k])+'</td></tr>';}).join(''):'<tr><td class="muted">none</td></tr>')+'</table>';
         h+='<h2>Inputs</h2><table>'+j.inputs.map(function(i){return '<tr><td>'+esc(i.path)+'</td><td class="n">'+bytes(i.bytes)+'</td></tr>';}).join('')+'</table></div></div>';return h;}
        function workersPage(m){return '<h2>Workers</h2><table id="workers"><tr><th>worker</th><th>host</th><th>pid</th><th>state</th><th>cause</th><th>last seen</th><th>tasks done</th><th>running</th><th>failed</th><th>bytes in</th><th>bytes out</th><th>peak memory</th></tr>'+
         m.workers.map(function(w){return '<tr class="worker"><td>'+w.id+'</td><td>'+esc(w.host)+' <span class="muted">'+esc(w.peer)+'</span></td><td class="n">'+w.pid+'</td><td class="state-'+esc(w.state)+'">'+esc(w.state)+'</td><td>'+esc(w.cause||'')+'</td><td class="n">'+secs(w.last_seen_age)+' ago</td><td class="n">'+w.done+'</td><td class="n">'+w.running+'</td><td class="n">'+w.failed+'</td><td class="n">'+bytes(w.bytes_in)+'</td><td class="n">'+bytes(w.bytes_out)+'</td><td class="n">'+bytes(w.peak_resident)+'</td></tr>';}).join('')+'</table>'+
         '<p class="muted">Bytes in and out are the inputs read and outputs written by the tasks each worker committed; last seen is the age of its latest event.</p>';}
        function distRow(name,d,f){if(!d)return '<tr><td>'+name+'</td><td colspan="6" class="muted">no committed task yet</td></tr>';return '<tr class="dist"><td>'+name+'</td>'+['min','p25','median','p75','max'].map(function(k){return '<td class="n">'+f(d[k])+'</td>';}).join('')+'<td>'+(d.skewed?'<span class="skew">skew: max &gt; 3 &times; median</span>':'')+'</td></tr>';}
        function stagePage(m,i){var s=m.stages[i];if(!s)return '<p>No stage '+esc(i)+'.</p>';var a=m.attempts.filter(function(x){return x.stage===s.index;});
         var h='<h2>Stage '+s.index+': '+esc(s.name)+' <span class="state-'+esc(s.state)+'">'+esc(s.state)+'</span></h2><div class="cards">'+card('tasks',s.done+'/'+s.tasks)+card('attempts',s.attempts)+card('failed',s.failed)+card('speculative',s.speculative)+card('time',secs(s.seconds))+card('speed',num(Math.round(s.records_per_second))+' rec/s')+'</div>';
         h+='<h3>Distribution over committed tasks</h3><table id="distribution"><tr><th></th><th>min</th><th>25th</th><th>median</th><th>75th</th><th>max</th><th></th></tr>'+distRow('duration',s.durations,secs)+distRow('input size',s.input_bytes,bytes)+'</table>';
         h+='<h3>Tasks</h3><table id="tasks"><tr><th>attempt</th><th>task</th><th>worker</th><th>start</th><th>duration</th><th>records in</th><th>bytes in</th><th>records out</th><th>bytes out</th><th>state</th><th>cause</th></tr>'+
         a.map(function(x){return '<tr class="task" data-attempt="'+x.attempt+'"><td class="n">'+x.attempt+(x.speculative?' <span class="muted">speculative</span>':'')+'</td><td>'+esc(x.task)+'</td><td class="n">'+x.worker+'</td><td class="n">'+secs(x.start)+'</td><td class="n">'+secs(x.seconds)+'</td><td class="n">'+num(x.records_in)+'</td><td class="n">'+bytes(x.bytes_in)+'</td><td class="n">'+num(x.records_out)+'</td><td class="n">'+bytes(x.bytes_out)+'</td><td class="o-'+x.outcome+'">'+x.outcome+'</td><td>'+esc(x.cause||'')+'</td></tr>';}).join('')+'</table>';return h;}
        function timelinePage(m){var ws=m.workers.map(function(w){return w.id;});m.attempts.forEach(function(a){if(ws.indexOf(a.worker)<0)ws.push(a.worker);});
         var end=Math.max(m.job.now,m.job.elapsed,0.001),W=1180,L=90,R=20,lane=26,top=28,H=top+ws.length*lane+40;function x(t){return L+(W-L-R)*Math.max(0,t)/end;}
         var g='<svg id="timeline" width="'+W+'" height="'+H+'" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="0" width="'+W+'" height="'+H+'" fill="#fff"/>';
         for(var k=0;k<=10;k++){var t=end*k/10;g+='<line x1="'+x(t)+'" x2="'+x(t)+'" y1="'+(top-6)+'" y2="'+(H-30)+'" stroke="#eceff3"/><text x="'+x(t)+'" y="'+(H-16)+'" text-anchor="middle">'+secs(t)+'</text>';}
         ws.forEach(function(w,i){g+='<text x="6" y="'+(top+i*lane+16)+'">worker '+w+'</text>';});
         m.attempts.forEach(function(a){var i=ws.indexOf(a.worker),e=a.end==null?m.job.now:a.end,wd=Math.max(2,x(e)-x(a.start));
          g+='<rect class="bar" data-attempt="'+a.attempt+'" x="'+x(a.start).toFixed(1)+'" y="'+(top+i*lane+3)+'" width="'+wd.toFixed(1)+'" height="'+(lane-8)+'" fill="'+stageColor(a.stage,a.outcome)+'" fill-opacity="'+(a.outcome==='running'?'0.55':'1')+'" stroke="'+(a.speculative?'#000':'#fff')+'" stroke-dasharray="'+(a.speculative?'3,2':'none')+'"><title>'+esc(a.task)+' (attempt '+a.attempt+', '+a.outcome+', '+secs(a.seconds)+')'+(a.cause?': '+esc(a.cause):'')+'</title></rect>';});
         var colors={worker_lost:'#c62828',rollback:'#e65100',checkpoint:'#2e7d32',checkpoint_corrupt:'#6a1b9a',stopped:'#333',workers_replaced:'#ad1457'};
         m.markers.forEach(function(k){g+='<line class="marker marker-'+k.kind+'" x1="'+x(k.t)+'" x2="'+x(k.t)+'" y1="'+(top-10)+'" y2="'+(H-30)+'" stroke="'+(colors[k.kind]||'#333')+'" stroke-width="2" stroke-dasharray="'+(k.kind==='checkpoint'?'2,3':'6,3')+'"><title>'+esc(k.text)+' at '+secs(k.t)+'</title></line><text x="'+(x(k.t)+3)+'" y="'+(top-12)+'" fill="'+(colors[k.kind]||'#333')+'">'+esc(k.kind.replace('_',' '))+'</text>';});
         g+='</svg>';var legend=m.stages.map(function(s){return '<span style="display:inline-block;width:12px;height:12px;background:'+stageColor(s.index,'committed')+'"></span> '+esc(s.name);}).join(' &nbsp; ');
         return '<h2>Timeline: attempts per worker</h2><p>'+legend+' &nbsp; <span style="color:#c62828">&#9632;</span> failed or lost &nbsp; <span style="color:#b0b6bf">&#9632;</span> cancelled or rejected &nbsp; dashed outline: speculative; vertical lines: worker losses, rollbacks, checkpoints</p>'+g+
         '<h3>Events</h3><table id="markers"><tr><th>time</th><th>what</th></tr>'+m.markers.map(function(k){return '<tr class="marker-row"><td class="n">'+secs(k.t)+'</td><td>'+esc(k.text)+'</td></tr>';}).join('')+'</table>';}
        function superstepsPage(m){var ss=m.supersteps;if(!ss.length)return '<p>This job has no supersteps (it is not a Pregel or BSP job, or none has finished yet).</p>';
         var W=1180,H=300,L=60,R=60,T=20,B=40,n=ss.length,bw=(W-L-R)/n;var maxT=Math.max.apply(null,ss.map(function(s){return s.seconds;}).concat([0.001])),maxA=Math.max.apply(null,ss.map(function(s){return Math.max(s.active,s.messages);}).concat([1]));
         function y1(v){return H-B-(H-T-B)*v/maxT;}function y2(v){return H-B-(H-T-B)*v/maxA;}
         var g='<svg id="supersteps" width="'+W+'" height="'+H+'" xmlns="http://www.w3.org/2000/svg"><rect width="'+W+'" height="'+H+'" fill="#fff"/>';
         ss.forEach(function(s,i){g+='<rect class="step" x="'+(L+i*bw+1).toFixed(1)+'" y="'+y1(s.seconds).toFixed(1)+'" width="'+Math.max(1,bw-2).toFixed(1)+'" height="'+(H-B-y1(s.seconds)).toFixed(1)+'" fill="'+(s.epoch?'#ffb74d':'#90caf9')+'"><title>superstep '+s.superstep+' (epoch '+s.epoch+'): '+secs(s.seconds)+', '+num(s.active)+' active, '+num(s.messages)+' messages</title></rect>';});
         function line(key,color){return '<polyline fill="none" stroke="'+color+'" stroke-width="2" points="'+ss.map(function(s,i){return (L+i*bw+bw/2).toFixed(1)+','+y2(s[key]).toFixed(1);}).join(' ')+'"/>';}
         g+=line('active','#2e7d32')+line('messages','#6a1b9a');
         g+='<text x="4" y="'+(T+4)+'">'+secs(maxT)+'</text><text x="'+(W-R+4)+'" y="'+(T+4)+'">'+num(maxA)+'</text><text x="'+(W/2)+'" y="'+(H-8)+'" text-anchor="middle">superstep (bars: time, blue first run, orange after a rollback; lines: active green, messages purple)</text></svg>';
         var aggs=ss.length?Object.keys(ss[ss.length-1].aggregates):[];
         var h='<h2>Supersteps</h2>'+g+'<h3>Per superstep</h3><table id="superstep-table"><tr><th>superstep</th><th>epoch</th><th>time</th><th>active</th><th>messages</th>'+aggs.map(function(a){return '<th>'+esc(a)+'</th>';}).join('')+'</tr>'+
         ss.map(function(s){return '<tr class="superstep"><td class="n">'+s.superstep+'</td><td class="n">'+s.epoch+'</td><td class="n">'+secs(s.seconds)+'</td><td class="n">'+num(s.active)+'</td><td class="n">'+num(s.messages)+'</td>'+aggs.map(function(a){return '<td class="n">'+(s.aggregates[a]==null?'':Number(s.aggregates[a]).toPrecision(6))+'</td>';}).join('')+'</tr>';}).join('')+'</table>';
         var cr=m.markers.filter(function(k){return k.kind.indexOf('checkpoint')===0||k.kind==='rollback'||k.kind==='stopped';});
         return h+'<h3>Checkpoints and rollbacks</h3><table id="checkpoints">'+(cr.length?cr.map(function(k){return '<tr><td class="n">'+secs(k.t)+'</td><td>'+esc(k.text)+'</td></tr>';}).join(''):'<tr><td class="muted">none</td></tr>')+'</table>';}
        function comparePage(a,b){var names=[];a.stages.concat(b.stages).forEach(function(s){if(names.indexOf(s.name)<0)names.push(s.name);});
         function st(m,n){return m.stages.filter(function(s){return s.name===n;})[0];}function d(s,k,f){return s&&s[k]?f(s[k].median)+' ('+f(s[k].min)+' to '+f(s[k].max)+')':'';}
         var h='<h2>Compare: A = '+esc(a.job.name)+' ('+esc(a.job.state)+', '+secs(a.job.elapsed)+') and B = '+esc(b.job.name)+' ('+esc(b.job.state)+', '+secs(b.job.elapsed)+')</h2>';
         h+='<table id="compare"><tr><th>stage</th><th>time A</th><th>time B</th><th>B / A</th><th>task time A: median (min to max)</th><th>task time B</th><th>input A</th><th>input B</th></tr>'+names.map(function(n){var x=st(a,n),y=st(b,n);
          return '<tr class="compare-stage"><td>'+esc(n)+'</td><td class="n">'+(x?secs(x.seconds):'')+'</td><td class="n">'+(y?secs(y.seconds):'')+'</td><td class="n">'+(x&&y&&x.seconds?(y.seconds/x.seconds).toFixed(2):'')+'</td><td>'+d(x,'durations',secs)+(x&&x.skewed?' <span class="skew">skew</span>':'')+'</td><td>'+d(y,'durations',secs)+(y&&y.skewed?' <span class="skew">skew</span>':'')+'</td><td>'+d(x,'input_bytes',bytes)+'</td><td>'+d(y,'input_bytes',bytes)+'</td></tr>';}).join('')+'</table>';
         return h+'<div class="cols"><div><h3>A</h3>'+jobPage(a)+'</div><div><h3>B</h3>'+jobPage(b)+'</div></div>';}
        function render(m){var r=route(),html;nav(m);
         if(MODELS&&MODELS.length===2&&(r==='/'||r==='/job'))html=comparePage(MODELS[0],MODELS[1]);
         else if(r==='/workers')html=workersPage(m);else if(r==='/timeline')html=timelinePage(m);else if(r==='/supersteps')html=superstepsPage(m);
         else if(r.indexOf('/stages/')===0)html=stagePage(m,parseInt(r.slice(8),10));else html=jobPage(m);
         document.getElementById('main').innerHTML=html;document.getElementById('job-title').textContent=m.job.name+' ('+m.job.state+')';document.title='Spindle: '+m.job.name;}
        var timer=null;
        function refresh(){fetch('/api/model',{cache:'no-store'}).then(function(r){if(!r.ok)throw new Error('HTTP '+r.status);return r.json();}).then(function(m){render(m);
         if(m.job.state==='running'||m.job.state==='starting')timer=setTimeout(refresh,1000);}).catch(function(e){document.getElementById('main').insertAdjacentHTML('afterbegin','<p class="muted">The job is no longer served ('+esc(e.message)+'); this is its last state.</p>');});}
        if(MODELS){render(MODELS[MODELS.length-1]);window.addEventListener('hashchange',function(){render(MODELS[MODELS.length-1]);});}else{refresh();}
        """#
}
