// Tallyhall 1.8 front end: refreshes the lot table every minute
setInterval(function(){ fetch('/').then(function(){}) }, 60000);
